namespace WalActors.Recovery;

/// <summary>A valid frame found past the end of a log's valid prefix, and what it proves about that end.</summary>
/// <param name="Lsn">Where the valid frame lies.</param>
/// <param name="DurableEnd">The durable end that frame carries (everything below it had been on stable storage), or -1 when the frame predates the durable lag.</param>
/// <param name="BeyondWindow">Whether the frame lies further past the bad one than any write could have run ahead of a barrier.</param>
internal sealed record DamageEvidence(long Lsn, long DurableEnd, bool BeyondWindow)
{
    /// <summary>In words, for the error a user sees.</summary>
    public override string ToString() => DurableEnd >= 0 && !BeyondWindow
        ? $"the valid record at LSN {Lsn} proves that everything below LSN {DurableEnd} had been on stable storage"
        : $"a valid record lies at LSN {Lsn}, beyond anything that could have been in flight";
}
