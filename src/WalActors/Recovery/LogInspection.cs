using WalActors.Storage;

namespace WalActors;

/// <summary>What a read-only scan of a log found.</summary>
/// <param name="Directory">The log's directory.</param>
/// <param name="SegmentSize">The size of each segment file.</param>
/// <param name="Segments">The segment files, in offset order.</param>
/// <param name="Head">The first LSN the log holds.</param>
/// <param name="End">One past the last valid record: where the next append would go.</param>
/// <param name="RecordCount">Valid records between head and end.</param>
/// <param name="Tail">How the log ends.</param>
/// <param name="TailBytes">Non-zero bytes after <paramref name="End"/> (what a torn tail or damage leaves).</param>
/// <param name="Problem">What is wrong at <paramref name="End"/>, when the tail is not clean.</param>
/// <param name="WriterProcessId">The process writing the log right now, or null when none is.</param>
/// <param name="WriterDurableEnd">How far that process reports the log durable; what lies past it is in flight.</param>
public sealed record LogInspection(
    string Directory,
    long SegmentSize,
    IReadOnlyList<SegmentInfo> Segments,
    Lsn Head,
    Lsn End,
    long RecordCount,
    LogTail Tail,
    long TailBytes,
    string? Problem,
    int? WriterProcessId = null,
    Lsn? WriterDurableEnd = null)
{
    /// <summary>Bytes of valid records.</summary>
    public long Bytes => End.Value - Head.Value;
}
