namespace WalActors;

/// <summary>The record is in the log at <paramref name="Lsn"/>, as durable as its append asked, and so is everything before it.</summary>
/// <param name="Lsn">The record's log sequence number.</param>
/// <param name="CorrelationId">The append's correlation id.</param>
public sealed record Appended(Lsn Lsn, object? CorrelationId);
