namespace WalActors;

/// <summary>
/// Appends one record. The log replies to the sender with <see cref="Appended"/> once the record, and every record
/// before it, meets <paramref name="Durability"/>; or with <see cref="AppendFailed"/>.
/// </summary>
/// <remarks>
/// The payload is referenced, not copied, until it is written: do not change its bytes before the reply.
/// An <see cref="AppendFailed"/> means the record was not acknowledged; after a crash it may or may not be in the log.
/// </remarks>
/// <param name="Payload">The record's bytes, at most the configured max-record-size.</param>
/// <param name="Durability">When to acknowledge: after a barrier (the default) or once written.</param>
/// <param name="CorrelationId">Returned unchanged in the reply, to match replies to requests.</param>
public sealed record Append(ReadOnlyMemory<byte> Payload, Durability Durability = Durability.Durable, object? CorrelationId = null)
{
    /// <summary>Completed instead of a reply message when the append comes from <see cref="IWalClient"/>.</summary>
    internal TaskCompletionSource<Lsn>? Completion { get; init; }
}
