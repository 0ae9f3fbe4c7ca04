namespace WalActors;

/// <summary>
/// Appends one record. The log replies to the sender with <see cref="Appended"/> once the record, and every record
/// before it, meets <paramref name="Durability"/>; or with <see cref="AppendFailed"/>.
/// </summary>
/// <remarks>
/// <para>Buffer ownership: the message references its payload, it does not copy it (messages are immutable, and the
/// pipeline allocates nothing per append): the bytes must not change until the reply arrives. <see cref="IWalClient"/>
/// copies instead, so its callers may reuse their buffers at once.</para>
/// <para>Exactly one reply comes, whatever happens to the log, even when it has stopped or its actor is gone.
/// An <see cref="AppendFailed"/> means the record was not acknowledged; after a crash it may or may not be in the log,
/// except for <see cref="WalOverloadedException"/>, <see cref="RecordTooLargeException"/> and
/// <see cref="InvalidAppendException"/>: then nothing was written.</para>
/// </remarks>
/// <param name="Payload">The record's bytes, at most the configured max-record-size.</param>
/// <param name="Durability">When to acknowledge: after a barrier (the default) or once written; an undefined value is refused with <see cref="InvalidAppendException"/>.</param>
/// <param name="CorrelationId">Returned unchanged in the reply, to match replies to requests.</param>
public sealed record Append(ReadOnlyMemory<byte> Payload, Durability Durability = Durability.Durable, object? CorrelationId = null)
{
    /// <summary>Completed instead of a reply message when the append comes from <see cref="IWalClient"/>.</summary>
    internal TaskCompletionSource<Lsn>? Completion { get; init; }
}
