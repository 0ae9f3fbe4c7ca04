using System.Runtime.InteropServices;

namespace WalActors.Benchmarks.Experiments.Native;

/// <summary>A file descriptor opened with explicit flags, with the calls the experiments make on it; every failure throws.</summary>
internal sealed unsafe class RawFile : IDisposable
{
    private RawFile(int fd, string path)
    {
        Fd = fd;
        Path = path;
    }

    public int Fd { get; private set; }

    public string Path { get; }

    public static RawFile Open(string path, int flags)
    {
        var fd = Libc.Open(path, flags | Flags.CloseOnExec, Flags.FileMode);
        return fd == -1 ? throw Error("open", path) : new RawFile(fd, path);
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>, retrying short writes and interruptions.</summary>
    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* start = data)
        {
            Write(start, data.Length, offset);
        }
    }

    public void Write(byte* data, int length, long offset)
    {
        var done = 0;
        while (done < length)
        {
            var written = Libc.PWrite(Fd, data + done, (nuint)(length - done), offset + done);
            if (written == -1)
            {
                if (Marshal.GetLastPInvokeError() == Flags.Interrupted)
                {
                    continue;
                }

                throw Error("pwrite", Path);
            }

            done += (int)written;
        }
    }

    /// <summary>Reads up to <paramref name="length"/> bytes; returns how many (0 at the end).</summary>
    public int Read(byte* data, int length, long offset)
    {
        while (true)
        {
            var read = Libc.PRead(Fd, data, (nuint)length, offset);
            if (read >= 0)
            {
                return (int)read;
            }

            if (Marshal.GetLastPInvokeError() != Flags.Interrupted)
            {
                throw Error("pread", Path);
            }
        }
    }

    public void DataSync() => Retried("fdatasync", static fd => Libc.FDataSync(fd));

    public void Sync() => Retried("fsync", static fd => Libc.FSync(fd));

    /// <summary>sync_file_range(SYNC_FILE_RANGE_WRITE): starts writeback of the range and returns without waiting for it.</summary>
    public void StartWriteback(long offset, long count) => Check(Libc.SyncFileRange(Fd, offset, count, Flags.SyncRangeWrite), "sync_file_range");

    public void Allocate(long length) => Check(Libc.FAllocate(Fd, 0, 0, length), "fallocate");

    /// <summary>posix_fadvise over <paramref name="length"/> bytes from <paramref name="offset"/> (0 and 0: the whole file).</summary>
    public void Advise(int advice, long offset = 0, long length = 0)
    {
        var error = Libc.FAdvise(Fd, offset, length, advice);
        if (error != 0)
        {
            throw new IOException($"posix_fadvise({advice}) on {Path}: errno {error}");
        }
    }

    public void Dispose()
    {
        if (Fd != -1)
        {
            Libc.Close(Fd);
            Fd = -1;
        }
    }

    internal static IOException Error(string call, string path) =>
        new($"{call} on {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())} (errno {Marshal.GetLastPInvokeError()})");

    private void Check(int result, string call)
    {
        if (result == -1)
        {
            throw Error(call, Path);
        }
    }

    // The barriers can be interrupted by a signal (the runtime's own, for GC suspension) and must then be issued again.
    private void Retried(string call, Func<int, int> operation)
    {
        int result;
        do
        {
            result = operation(Fd);
        }
        while (result == -1 && Marshal.GetLastPInvokeError() == Flags.Interrupted);

        Check(result, call);
    }
}
