namespace WalActors;

/// <summary>Every record of an <see cref="AppendBatch"/> is in the log, in order, at these LSNs.</summary>
/// <param name="Lsns">The records' log sequence numbers, in the batch's order.</param>
/// <param name="CorrelationId">The batch's correlation id.</param>
public sealed record BatchAppended(IReadOnlyList<Lsn> Lsns, object? CorrelationId);
