using WalActors.Storage;

namespace WalActors.Tests.Crash;

/// <summary>
/// The store a crash test runs the real log on. Reads and writes go to a page cache; every operation is recorded in
/// order, together with the acknowledgements the test saw, so that <see cref="CrashReplay"/> can rebuild what a power
/// loss before any operation would have left. At a chosen operation the power goes off: that operation and every later
/// one throws, as if the machine died under the log.
/// </summary>
internal sealed class PowerLossStore : IWalStore, IRecoveryPointStore
{
    /// <summary>The span of each recovery point summary: small, so that a short life passes several and stores recovery points.</summary>
    public const long RecoveryPointSpan = 4096;

    private readonly Lock _gate = new();
    private readonly MemStore _cache;
    private readonly List<StoreEvent> _events = [];
    private long _powerOffAt;
    private bool _offOnlyAtBarrierEnd;
    private readonly TimeSpan _barrierTime;
    private long _operations;
    private long _barriers;
    private bool _off;
    private (long End, byte[] Body)? _recoveryPoint;

    /// <param name="image">What the disk holds when the log opens it.</param>
    /// <param name="powerOffAt">The 1-based operation (write, barrier start, barrier end, truncation) the power goes off at; 0 for never.</param>
    /// <param name="barrierTime">How long a barrier takes: a slow disk lets writes pile up behind it and fill the in-flight window.</param>
    /// <param name="recoveryPoint">The recovery point the disk holds when the log opens it, or null.</param>
    public PowerLossStore(byte[] image, long powerOffAt, TimeSpan barrierTime = default, (long End, byte[] Body)? recoveryPoint = null)
    {
        _cache = new MemStore(image);
        _recoveryPoint = recoveryPoint;
        _powerOffAt = powerOffAt;
        _barrierTime = barrierTime;
    }

    /// <summary>Whether the power is off: every operation fails.</summary>
    public bool IsOff
    {
        get
        {
            lock (_gate)
            {
                return _off;
            }
        }
    }

    /// <summary>Whether the power went off at the chosen operation, with the log still at work, rather than by <see cref="PowerOff"/>.</summary>
    public bool WentOffAtChosenOperation
    {
        get
        {
            lock (_gate)
            {
                return _powerOffAt > 0 && _operations == _powerOffAt;
            }
        }
    }

    public long Length => _cache.Length;

    long IRecoveryPointStore.SegmentSize => RecoveryPointSpan;

    // Nothing here compacts or rewrites what lies below a recovery point.
    long IRecoveryPointStore.RecoveryPointEpoch => 0;

    /// <summary>Everything that happened so far, in order.</summary>
    public IReadOnlyList<StoreEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>Turns the power off now, if the chosen operation has not already.</summary>
    public void PowerOff()
    {
        lock (_gate)
        {
            _off = true;
        }
    }

    /// <summary>
    /// Chooses when the power goes off: at the <paramref name="operations"/>-th operation from now, or, with
    /// <paramref name="atBarrierEnd"/>, at the first barrier to return from then on, so that the writes it covered never
    /// become durable.
    /// </summary>
    public void PowerOffAfter(long operations, bool atBarrierEnd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(operations, 1);
        lock (_gate)
        {
            (_powerOffAt, _offOnlyAtBarrierEnd) = (_operations + operations, atBarrierEnd);
        }
    }

    /// <summary>Records that the test saw an acknowledgement, in its place among the operations.</summary>
    public void RecordAcknowledgement(Acknowledgement acknowledgement)
    {
        lock (_gate)
        {
            _events.Add(new StoreEvent(StoreEventKind.Acknowledged, Acknowledgement: acknowledgement));
        }
    }

    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            Operate(StoreEventKind.Write);
            var copy = bytes.ToArray();
            _cache.WriteAt(offset, copy);
            _events.Add(new StoreEvent(StoreEventKind.Write, offset, copy));
        }
    }

    public int ReadAt(long offset, Span<byte> buffer) => _cache.ReadAt(offset, buffer);

    public (long End, byte[] Body)? ReadRecoveryPoint()
    {
        lock (_gate)
        {
            return _recoveryPoint;
        }
    }

    /// <summary>One operation: the file protocol leaves the old recovery point or the new one, so the power goes off before or after it.</summary>
    public bool WriteRecoveryPoint(long end, ReadOnlySpan<byte> body, long epoch)
    {
        lock (_gate)
        {
            Operate(StoreEventKind.RecoveryPoint);
            _recoveryPoint = (end, body.ToArray());
            _events.Add(new StoreEvent(StoreEventKind.RecoveryPoint, end, _recoveryPoint.Value.Body));
            return true;
        }
    }

    public void Truncate(long length)
    {
        lock (_gate)
        {
            Operate(StoreEventKind.Truncate);
            if (_recoveryPoint?.End > length)
            {
                _recoveryPoint = null;
            }

            _cache.Truncate(length);
            _events.Add(new StoreEvent(StoreEventKind.Truncate, length));
        }
    }

    /// <summary>Two operations, so the power can go off while a barrier is in flight; writes may complete in between.</summary>
    public void Sync()
    {
        long barrier;
        lock (_gate)
        {
            Operate(StoreEventKind.BarrierBegan);
            barrier = ++_barriers;
            _events.Add(new StoreEvent(StoreEventKind.BarrierBegan, Barrier: barrier));
        }

        if (_barrierTime > TimeSpan.Zero)
        {
            Thread.Sleep(_barrierTime);
        }
        else
        {
            Thread.Yield();
        }

        lock (_gate)
        {
            Operate(StoreEventKind.BarrierEnded);
            _events.Add(new StoreEvent(StoreEventKind.BarrierEnded, Barrier: barrier));
        }
    }

    public void Dispose()
    {
    }

    private void Operate(StoreEventKind kind)
    {
        if (!_off && ++_operations >= _powerOffAt && _powerOffAt > 0 && (!_offOnlyAtBarrierEnd || kind == StoreEventKind.BarrierEnded))
        {
            _off = true;
        }

        if (_off)
        {
            throw new WalIOException("operating on the store", "power-loss test", new IOException("The power is off (simulated crash)."));
        }
    }
}
