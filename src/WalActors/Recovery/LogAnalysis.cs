using WalActors.Format;

namespace WalActors.Recovery;

/// <summary>The facts a read-only scan of a log establishes; recovery decides what to do with them.</summary>
/// <param name="Head">Where the scan started.</param>
/// <param name="End">The end of the last valid record (of the last complete batch).</param>
/// <param name="RecordCount">Valid records between head and end.</param>
/// <param name="StoreLength">The store's length when scanned.</param>
/// <param name="Fault">Why the scan stopped at <paramref name="End"/>: <see cref="FrameFault.None"/> at the end of the store.</param>
/// <param name="LastNonZeroByte">The offset of the last non-zero byte at or after <paramref name="End"/>, or -1 if there is none.</param>
/// <param name="DamageEvidenceAt">The LSN of a valid frame beyond the in-flight window past <paramref name="End"/>, proving damage; or null.</param>
internal sealed record LogAnalysis(
    long Head,
    long End,
    long RecordCount,
    long StoreLength,
    FrameFault Fault,
    long LastNonZeroByte,
    long? DamageEvidenceAt)
{
    /// <summary>Non-zero bytes past the valid end: what a truncation would drop.</summary>
    public long TailBytes => LastNonZeroByte < End ? 0 : LastNonZeroByte - End + 1;

    /// <summary>Whether valid records were found beyond a bad one further than any write could have been in flight.</summary>
    public bool IsDamaged => DamageEvidenceAt is not null;

    /// <summary>Whether there are leftover bytes after the valid end that are not damage.</summary>
    public bool HasTornTail => !IsDamaged && TailBytes > 0;
}
