namespace WalActors.Storage;

/// <summary>How a <see cref="SegmentedStore"/> lays out a new log; an existing log keeps the segment size it was created with.</summary>
internal sealed record SegmentedStoreOptions
{
    /// <summary>The default segment size, 64 MiB.</summary>
    public const long DefaultSegmentSize = 64L * 1024 * 1024;

    /// <summary>The smallest segment size, 4 KiB (one page).</summary>
    public const long MinimumSegmentSize = 4096;

    /// <summary>The most segments kept for recycling: each is a whole segment of disk space held ahead of the writes.</summary>
    public const int MaxRecycleSegments = 16;

    /// <summary>The size of each preallocated segment file, a multiple of 4 KiB; retention drops whole segments.</summary>
    public long SegmentSize { get; init; } = DefaultSegmentSize;

    /// <summary>
    /// How many segments retention may keep, renamed into the next positions, instead of deleting them, so that appending
    /// in steady state neither creates nor zero-fills a file (0: delete every segment retention drops).
    /// </summary>
    public int RecycleSegments { get; init; }

    /// <summary>
    /// Open a damaged log to salvage it: a short segment is zero-extended and segments after a missing one are moved into a
    /// <c>salvaged-segments</c> folder, instead of the open being refused.
    /// </summary>
    internal bool Salvage { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (SegmentSize < MinimumSegmentSize || SegmentSize % MinimumSegmentSize != 0)
        {
            throw new ArgumentException(
                $"segment-size must be a multiple of {MinimumSegmentSize} bytes and at least that large; got {SegmentSize}.",
                nameof(SegmentSize));
        }

        if (RecycleSegments is < 0 or > MaxRecycleSegments)
        {
            throw new ArgumentException($"recycle-segments must be between 0 and {MaxRecycleSegments}; got {RecycleSegments}.", nameof(RecycleSegments));
        }
    }
}
