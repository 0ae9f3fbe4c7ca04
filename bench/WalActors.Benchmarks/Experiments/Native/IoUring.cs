using System.Runtime.InteropServices;

namespace WalActors.Benchmarks.Experiments.Native;

/// <summary>
/// A minimal io_uring for one thread: a small ring set up with the raw syscalls (no liburing), and one operation, a
/// write linked to an fdatasync (IOSQE_IO_LINK), submitted together and waited for with a single io_uring_enter. That
/// is one system call per durable append instead of two; whether it is faster is what the experiment measures.
/// </summary>
/// <remarks>
/// Layouts and constants are the kernel ABI (include/uapi/linux/io_uring.h): io_uring_params is 120 bytes, an SQE 64,
/// a CQE 16. The ring is single-producer, single-consumer from this thread, so ordering needs only a release store of
/// the SQ tail and CQ head and an acquire load of the CQ tail.
/// </remarks>
internal sealed unsafe class IoUring : IDisposable
{
    private const long SetupSyscall = 425;
    private const long EnterSyscall = 426;
    private const uint Entries = 8;
    private const uint EnterGetEvents = 1;
    private const byte OpWrite = 23;
    private const byte OpFsync = 3;
    private const byte LinkNext = 1 << 2;
    private const uint FsyncDataOnly = 1;
    private const uint FeatureSingleMmap = 1;
    private const long SqRingOffset = 0;
    private const long CqRingOffset = 0x8000000;
    private const long SqesOffset = 0x10000000;
    private const int SqeSize = 64;
    private const int CqeSize = 16;
    private const int Canceled = 125;

    private readonly int _ringFd;
    private readonly nint _sqRing;
    private readonly nuint _sqRingSize;
    private readonly nint _cqRing;
    private readonly nuint _cqRingSize;
    private readonly nint _sqes;
    private readonly nuint _sqesSize;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint* _sqArray;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly byte* _cqes;

    private IoUring(int ringFd, in Params p)
    {
        _ringFd = ringFd;
        _sqRingSize = p.SqOff.Array + (p.SqEntries * sizeof(uint));
        _cqRingSize = p.CqOff.Cqes + (p.CqEntries * CqeSize);
        var single = (p.Features & FeatureSingleMmap) != 0;
        if (single)
        {
            _sqRingSize = _cqRingSize = Math.Max(_sqRingSize, _cqRingSize);
        }

        _sqRing = Map(_sqRingSize, SqRingOffset);
        _cqRing = single ? _sqRing : Map(_cqRingSize, CqRingOffset);
        _sqesSize = p.SqEntries * SqeSize;
        _sqes = Map(_sqesSize, SqesOffset);

        var sq = (byte*)_sqRing;
        _sqTail = (uint*)(sq + p.SqOff.Tail);
        _sqMask = *(uint*)(sq + p.SqOff.RingMask);
        _sqArray = (uint*)(sq + p.SqOff.Array);
        var cq = (byte*)_cqRing;
        _cqHead = (uint*)(cq + p.CqOff.Head);
        _cqTail = (uint*)(cq + p.CqOff.Tail);
        _cqMask = *(uint*)(cq + p.CqOff.RingMask);
        _cqes = cq + p.CqOff.Cqes;
    }

    /// <summary>A ring, or null with the reason when this kernel (or its io_uring_disabled setting, or a seccomp filter) refuses one.</summary>
    public static IoUring? TryCreate(out string? unavailable)
    {
        unavailable = null;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            unavailable = "io_uring needs Linux on x86-64 or arm64";
            return null;
        }

        var p = default(Params);
        var fd = Libc.Syscall(SetupSyscall, Entries, (long)&p, 0, 0, 0, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            unavailable = $"io_uring_setup failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}; 38 = not built in, 1 = disabled by kernel.io_uring_disabled or seccomp)";
            return null;
        }

        return new IoUring((int)fd, p);
    }

    /// <summary>Writes <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="fd"/> and then fdatasyncs it, as one linked submission.</summary>
    public void WriteAndDataSync(int fd, byte* data, int length, long offset)
    {
        var tail = *_sqTail;
        var write = Entry(tail);
        write[0] = OpWrite;
        write[1] = LinkNext;
        *(int*)(write + 4) = fd;
        *(ulong*)(write + 8) = (ulong)offset;
        *(ulong*)(write + 16) = (ulong)data;
        *(uint*)(write + 24) = (uint)length;
        *(ulong*)(write + 32) = 1;

        var sync = Entry(tail + 1);
        sync[0] = OpFsync;
        *(int*)(sync + 4) = fd;
        *(uint*)(sync + 28) = FsyncDataOnly;
        *(ulong*)(sync + 32) = 2;

        Volatile.Write(ref *_sqTail, tail + 2);
        var submitted = Enter(2, 2);
        var waiting = 2;
        var writeResult = int.MinValue;
        var syncResult = int.MinValue;
        while (true)
        {
            var head = *_cqHead;
            var available = Volatile.Read(ref *_cqTail);
            for (; head != available; head++, waiting--)
            {
                var cqe = _cqes + ((head & _cqMask) * CqeSize);
                var result = *(int*)(cqe + 8);
                if (*(ulong*)cqe == 1)
                {
                    writeResult = result;
                }
                else
                {
                    syncResult = result;
                }
            }

            Volatile.Write(ref *_cqHead, head);
            if (waiting == 0)
            {
                break;
            }

            Enter(submitted >= 2 ? 0u : 2u - (uint)submitted, (uint)waiting);
            submitted = 2;
        }

        if (writeResult != length)
        {
            throw new IOException(writeResult < 0 ? $"io_uring write: errno {-writeResult}" : $"io_uring write: short, {writeResult} of {length} bytes");
        }

        if (syncResult != 0)
        {
            throw new IOException(syncResult == -Canceled ? "io_uring fdatasync was cancelled (its linked write failed)" : $"io_uring fdatasync: errno {-syncResult}");
        }
    }

    public void Dispose()
    {
        Libc.MUnmap(_sqes, _sqesSize);
        if (_cqRing != _sqRing)
        {
            Libc.MUnmap(_cqRing, _cqRingSize);
        }

        Libc.MUnmap(_sqRing, _sqRingSize);
        Libc.Close(_ringFd);
    }

    private byte* Entry(uint position)
    {
        var index = position & _sqMask;
        var sqe = (byte*)_sqes + (index * SqeSize);
        NativeMemory.Clear(sqe, SqeSize);
        _sqArray[index] = index;
        return sqe;
    }

    // Returns how many entries the kernel took; an interrupted wait is simply waited again by the caller's loop.
    private int Enter(uint toSubmit, uint minComplete)
    {
        while (true)
        {
            var result = Libc.Syscall(EnterSyscall, _ringFd, toSubmit, minComplete, EnterGetEvents, 0, 0);
            if (result >= 0)
            {
                return (int)result;
            }

            if (Marshal.GetLastPInvokeError() != Flags.Interrupted)
            {
                throw RawFile.Error("io_uring_enter", "the ring");
            }

            if (toSubmit > 0)
            {
                // Interrupted before submitting: nothing was taken, so submit again.
                continue;
            }

            return 0;
        }
    }

    private nint Map(nuint size, long offset)
    {
        var address = Libc.MMap(0, size, Flags.ProtectReadWrite, Flags.MapShared | Flags.MapPopulate, _ringFd, offset);
        return address == -1 ? throw RawFile.Error("mmap", "the io_uring ring") : address;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SqRingOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Reserved1;
        public ulong Reserved2;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CqRingOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Reserved1;
        public ulong Reserved2;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Params
    {
        public uint SqEntries, CqEntries, Flags, SqThreadCpu, SqThreadIdle, Features, WqFd, Reserved0, Reserved1, Reserved2;
        public SqRingOffsets SqOff;
        public CqRingOffsets CqOff;
    }
}
