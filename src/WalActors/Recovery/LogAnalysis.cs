using WalActors.Format;

namespace WalActors.Recovery;

/// <summary>The facts a read-only scan of a log establishes; recovery decides what to do with them.</summary>
/// <param name="Head">Where the scan started: the log's first record.</param>
/// <param name="End">The end of the last valid record (of the last complete batch).</param>
/// <param name="RecordCount">Valid records between head and end (markers are not records).</param>
/// <param name="StoreLength">The store's length when scanned.</param>
/// <param name="Fault">Why the scan stopped at <paramref name="End"/>: <see cref="FrameFault.None"/> at the end of the store.</param>
/// <param name="LastNonZeroByte">
/// The offset of the last non-zero byte at or after <paramref name="End"/> that this log wrote, or -1 if there is none; a
/// recycled segment's stale frames are unwritten space (<see cref="TailBytes"/>).
/// </param>
/// <param name="Evidence">A valid frame past <paramref name="End"/> that proves the bytes at <paramref name="End"/> had been durable; or null.</param>
/// <param name="DurableEnd">The highest durable end any valid frame of the prefix claims (a clean close claims its whole length).</param>
/// <param name="RecordStarts">The first record start at or after each segment base the scan crossed, in order.</param>
/// <param name="ClosedCleanly">Whether the valid prefix ends with a clean close's marker and nothing but zeros follows it.</param>
internal sealed record LogAnalysis(
    long Head,
    long End,
    long RecordCount,
    long StoreLength,
    FrameFault Fault,
    long LastNonZeroByte,
    DamageEvidence? Evidence,
    long DurableEnd,
    IReadOnlyList<long> RecordStarts,
    bool ClosedCleanly)
{
    /// <summary>The latest commit of every consumer in the valid prefix, by name, with the LSN of its frame.</summary>
    public IReadOnlyDictionary<string, (ConsumerCommit Commit, long Lsn)> Consumers { get; init; } = new Dictionary<string, (ConsumerCommit, long)>();

    /// <summary>The end of the last record of the valid prefix (markers and commit frames after it are not records).</summary>
    public long RecordsEnd { get; init; }

    /// <summary>Where the scan of frames began: the head, or the recovery point it continued from.</summary>
    public long ScanStart { get; init; }

    /// <summary>What the scan found up to <see cref="End"/> (a batch left open is cut off by recovery): where a later scan may continue.</summary>
    public LogPrefix? Prefix { get; init; }

    /// <summary>Non-zero bytes past the valid end: what a truncation would drop.</summary>
    public long TailBytes => LastNonZeroByte < End ? 0 : LastNonZeroByte - End + 1;

    /// <summary>Whether a valid frame proves that the invalid bytes at <see cref="End"/> had once been durable.</summary>
    public bool IsDamaged => Evidence is not null;

    /// <summary>Whether there are leftover bytes after the valid end that are not damage.</summary>
    public bool HasTornTail => !IsDamaged && TailBytes > 0;
}
