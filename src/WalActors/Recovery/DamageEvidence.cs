namespace WalActors.Recovery;

/// <summary>What proves that the invalid bytes at the end of a log's valid prefix had been durable.</summary>
/// <param name="Lsn">Where the proof lies: a valid frame past the bad one, or the clean close the manifest records.</param>
/// <param name="Description">The proof in words, for the error a user sees.</param>
internal sealed record DamageEvidence(long Lsn, string Description)
{
    /// <summary>A valid frame at <paramref name="lsn"/> whose writer knew everything below <paramref name="durableEnd"/> durable.</summary>
    public static DamageEvidence DurableEndPast(long lsn, long durableEnd) =>
        new(lsn, $"the valid record at LSN {lsn} proves that everything below LSN {durableEnd} had been on stable storage");

    /// <summary>A valid frame at <paramref name="lsn"/>, further past the bad one than any write may run ahead of a barrier.</summary>
    public static DamageEvidence BeyondWindow(long lsn) =>
        new(lsn, $"a valid record lies at LSN {lsn}, beyond anything that could have been in flight");

    /// <summary>The manifest records a clean close at <paramref name="closedAt"/>, past the valid prefix.</summary>
    public static DamageEvidence ClosedCleanlyAt(long closedAt) =>
        new(closedAt, $"the log was closed cleanly at LSN {closedAt}, with everything before it on stable storage");

    /// <summary>The live writer <paramref name="writer"/> reports everything below its durable end on stable storage.</summary>
    public static DamageEvidence ReportedBy(Storage.LiveStatus writer) =>
        new(writer.DurableEnd, $"the writing process {writer.ProcessId} reports everything below LSN {writer.DurableEnd} on stable storage");

    /// <inheritdoc />
    public override string ToString() => Description;
}
