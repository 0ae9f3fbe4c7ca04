namespace WalActors;

/// <summary>One record read from the log.</summary>
/// <param name="Lsn">The record's log sequence number.</param>
/// <param name="Payload">The record's bytes (a private copy, safe to keep).</param>
/// <param name="Next">The LSN of the record after this one: where to continue reading.</param>
public sealed record WalRecord(Lsn Lsn, ReadOnlyMemory<byte> Payload, Lsn Next);
