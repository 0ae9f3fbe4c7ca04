namespace WalActors.Storage;

/// <summary>
/// For each segment, the lowest position a writer or recovery has declared a record start: where the head may move
/// when the segments before it are dropped. Records straddle segment files, so a segment's base is rarely a record start.
/// </summary>
/// <remarks>Thread-safe: writers declare the start of every batch they write, concurrently and out of order.</remarks>
internal sealed class RecordStarts
{
    private readonly long _segmentSize;
    private readonly SortedDictionary<long, long> _firstBySegment = [];
    private readonly Lock _lock = new();

    // The segment and start noted last: writers declare every unit they write, nearly always past the one before in the
    // same segment, and those calls must not take the lock.
    private long _lastSegment = -1;
    private long _lastStart = long.MaxValue;

    public RecordStarts(long segmentSize)
    {
        _segmentSize = segmentSize;
    }

    public void Note(long lsn)
    {
        var segment = lsn / _segmentSize;
        if (segment == Volatile.Read(ref _lastSegment) && lsn >= Volatile.Read(ref _lastStart))
        {
            return;
        }

        lock (_lock)
        {
            if (!_firstBySegment.TryGetValue(segment, out var known) || lsn < known)
            {
                _firstBySegment[segment] = lsn;
                known = lsn;
            }

            // Start before segment: a reader of the pair that sees the new segment must not pair it with the old start.
            Volatile.Write(ref _lastStart, long.MaxValue);
            Volatile.Write(ref _lastSegment, segment);
            Volatile.Write(ref _lastStart, known);
        }
    }

    /// <summary>The lowest declared record start at or after <paramref name="position"/> and at most <paramref name="limit"/>, or null.</summary>
    public long? FirstBetween(long position, long limit)
    {
        lock (_lock)
        {
            foreach (var (segment, start) in _firstBySegment)
            {
                if ((segment + 1) * _segmentSize <= position || start < position)
                {
                    continue;
                }

                return start <= limit ? start : null;
            }
        }

        return null;
    }

    /// <summary>The lowest declared record start at or after <paramref name="position"/>, or null.</summary>
    public long? FirstAtOrAfter(long position) => FirstBetween(position, long.MaxValue);

    /// <summary>Forgets the segments that end at or before <paramref name="position"/>.</summary>
    public void ForgetBefore(long position)
    {
        lock (_lock)
        {
            foreach (var segment in _firstBySegment.Keys.Where(s => (s + 1) * _segmentSize <= position).ToArray())
            {
                _firstBySegment.Remove(segment);
            }
        }
    }
}
