namespace WalActors.Actors.Internal;

/// <summary>
/// Positions and counters shared by the actors of one log. Each field has a single writer (the durability
/// actor, or the facade for failures), so plain volatile stores suffice; readers take a consistent-enough snapshot.
/// </summary>
internal sealed class WalMetrics
{
    private long _writtenEnd;
    private long _durableEnd;
    private long _appends;
    private long _bytes;
    private long _writes;
    private long _barriers;
    private long _failed;
    private long _closedAt;
    private long _compactedBytes;
    private long _compactedRecords;

    public long WrittenEnd
    {
        get => Volatile.Read(ref _writtenEnd);
        set => Volatile.Write(ref _writtenEnd, value);
    }

    public long DurableEnd
    {
        get => Volatile.Read(ref _durableEnd);
        set => Volatile.Write(ref _durableEnd, value);
    }

    /// <summary>Where the clean close marker ended the log, once it is durable; 0 while the log is open.</summary>
    public long ClosedAt
    {
        get => Volatile.Read(ref _closedAt);
        set => Volatile.Write(ref _closedAt, value);
    }

    public void AddAcknowledged(long appends, long bytes)
    {
        Volatile.Write(ref _appends, _appends + appends);
        Volatile.Write(ref _bytes, _bytes + bytes);
    }

    public void AddWrite() => Volatile.Write(ref _writes, _writes + 1);

    public void AddBarrier() => Volatile.Write(ref _barriers, _barriers + 1);

    public void AddFailed(long count) => Interlocked.Add(ref _failed, count);

    /// <summary>Compaction rewrote a segment, reclaiming <paramref name="bytes"/> and dropping <paramref name="records"/> dead records.</summary>
    public void AddCompacted(long bytes, long records)
    {
        Interlocked.Add(ref _compactedBytes, bytes);
        Interlocked.Add(ref _compactedRecords, records);
    }

    /// <summary>Bytes compaction reclaimed since the log started.</summary>
    public long CompactedBytes => Volatile.Read(ref _compactedBytes);

    /// <summary>Dead records compaction dropped since the log started.</summary>
    public long CompactedRecords => Volatile.Read(ref _compactedRecords);

    public WalCounters Snapshot() => new(
        Volatile.Read(ref _appends),
        Volatile.Read(ref _bytes),
        Volatile.Read(ref _writes),
        Volatile.Read(ref _barriers),
        Volatile.Read(ref _failed));
}
