using WalActors.Storage;

namespace WalActors.Tests.Support;

/// <summary>
/// A memory store the tests can steer: hold chosen writes, hold barriers, fail the k-th write or barrier, and see
/// exactly which bytes each completed barrier made durable.
/// </summary>
public sealed class InstrumentedStore : IWalStore
{
    private readonly MemStore _inner = new();
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _syncsOpen = new(initialState: true);
    private Func<long, bool> _holdWhere = _ => false;
    private ManualResetEventSlim _heldRelease = new(initialState: true);
    private int _writes;
    private int _syncs;
    private byte[] _durableImage = [];

    /// <summary>Fails the write with this 1-based number (and every later one) with an I/O error; 0 for never.</summary>
    public int FailWriteNumber { get; set; }

    /// <summary>Fails the write with this 1-based number as a full disk, after writing half of its bytes; 0 for never.</summary>
    public int DiskFullAtWriteNumber { get; set; }

    /// <summary>Fails the write at this offset as a full disk, after writing half of its bytes; -1 for never.</summary>
    public long DiskFullAtOffset { get; set; } = -1;

    /// <summary>Fails the barrier with this 1-based number (and every later one); 0 for never.</summary>
    public int FailSyncNumber { get; set; }

    /// <summary>
    /// Makes <see cref="FailWriteNumber"/> and <see cref="FailSyncNumber"/> fail only that one operation, as a device that
    /// recovers would: a log that retried, or wrote on past the failure, would then see success.
    /// </summary>
    public bool TransientFailures { get; set; }

    /// <summary>
    /// Cuts the write with this 1-based number to its first half and reports success: a store breaking its contract,
    /// which the log cannot see; 0 for never.
    /// </summary>
    public int ShortWriteNumber { get; set; }

    /// <summary>The lowest offset of a write that failed or was cut short; null while none has.</summary>
    public long? FaultedWriteOffset { get; private set; }

    /// <summary>What was durable when the first barrier failed; null while none has.</summary>
    public byte[]? DurableImageAtFailedSync { get; private set; }

    /// <summary>Signalled each time a held write starts waiting.</summary>
    public SemaphoreSlim WriteHeld { get; } = new(0);

    /// <summary>Signalled each time a write completes.</summary>
    public SemaphoreSlim WriteDone { get; } = new(0);

    /// <summary>Signalled each time a barrier starts.</summary>
    public SemaphoreSlim SyncStarted { get; } = new(0);

    public int Writes => Volatile.Read(ref _writes);

    public int Syncs => Volatile.Read(ref _syncs);

    public long Length => _inner.Length;

    /// <summary>The bytes the last successful barrier made durable: what a power loss right now would leave.</summary>
    public byte[] DurableImage
    {
        get
        {
            lock (_gate)
            {
                return _durableImage;
            }
        }
    }

    /// <summary>Every byte written so far, durable or not.</summary>
    public byte[] WrittenImage => _inner.ToArray();

    /// <summary>Holds every write whose offset matches until <see cref="ReleaseWrites"/>.</summary>
    public void HoldWrites(Func<long, bool> where)
    {
        _heldRelease = new ManualResetEventSlim(initialState: false);
        _holdWhere = where;
    }

    public void ReleaseWrites()
    {
        _holdWhere = _ => false;
        _heldRelease.Set();
    }

    public void HoldSyncs() => _syncsOpen.Reset();

    public void ReleaseSyncs() => _syncsOpen.Set();

    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        var number = Interlocked.Increment(ref _writes);
        if (_holdWhere(offset))
        {
            WriteHeld.Release();
            _heldRelease.Wait();
        }

        if (Fails(number, FailWriteNumber))
        {
            RecordFaultedWrite(offset);
            throw new WalIOException("writing to the log", "instrumented", new IOException("Input/output error (injected)", 5));
        }

        if ((DiskFullAtWriteNumber > 0 && number == DiskFullAtWriteNumber) || offset == DiskFullAtOffset)
        {
            RecordFaultedWrite(offset);
            _inner.WriteAt(offset, bytes[..(bytes.Length / 2)]);
            throw new WalIOException("writing to the log", "instrumented", new IOException("No space left on device (injected)", 28), isDiskFull: true);
        }

        if (ShortWriteNumber > 0 && number == ShortWriteNumber)
        {
            RecordFaultedWrite(offset);
            bytes = bytes[..(bytes.Length / 2)];
        }

        _inner.WriteAt(offset, bytes);
        WriteDone.Release();
    }

    public int ReadAt(long offset, Span<byte> buffer) => _inner.ReadAt(offset, buffer);

    public void Truncate(long length) => _inner.Truncate(length);

    public void Sync()
    {
        var number = Interlocked.Increment(ref _syncs);
        SyncStarted.Release();
        var image = _inner.ToArray(); // everything written before the barrier began
        _syncsOpen.Wait();
        if (Fails(number, FailSyncNumber))
        {
            lock (_gate)
            {
                DurableImageAtFailedSync ??= _durableImage;
            }

            throw new WalIOException("flushing to stable storage", "instrumented", new IOException("Input/output error (injected)", 5));
        }

        lock (_gate)
        {
            if (image.Length >= _durableImage.Length)
            {
                _durableImage = image;
            }
        }
    }

    private bool Fails(int number, int failAt) => failAt > 0 && (number == failAt || (number > failAt && !TransientFailures));

    private void RecordFaultedWrite(long offset)
    {
        lock (_gate)
        {
            FaultedWriteOffset = Math.Min(FaultedWriteOffset ?? long.MaxValue, offset);
        }
    }

    public void Dispose()
    {
        ReleaseWrites();
        ReleaseSyncs();
    }
}
