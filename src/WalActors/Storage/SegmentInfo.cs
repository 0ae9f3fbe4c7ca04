namespace WalActors.Storage;

/// <summary>One segment file of a <see cref="SegmentedStore"/>: where it starts in the log, its size and its path.</summary>
/// <param name="BaseOffset">The log offset of the segment's first byte.</param>
/// <param name="Size">The segment's size in bytes.</param>
/// <param name="FilePath">The segment file's full path.</param>
public sealed record SegmentInfo(long BaseOffset, long Size, string FilePath)
{
    /// <summary>Whether compaction rewrote the segment, keeping only its live records (at their own positions).</summary>
    public bool IsCompacted { get; init; }

    /// <summary>How many bytes of the segment's range the file holds: <see cref="Size"/> unless it was compacted.</summary>
    public long KeptBytes { get; init; }
}
