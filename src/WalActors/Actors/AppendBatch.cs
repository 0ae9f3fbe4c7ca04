namespace WalActors;

/// <summary>
/// Appends several records as one atomic unit: after a crash either all of them are in the log or none.
/// The log replies with one <see cref="BatchAppended"/> carrying every LSN, or one <see cref="AppendFailed"/>.
/// </summary>
/// <remarks>As for <see cref="Append"/>: the payloads are referenced, not copied, until the reply; the batch counts as one
/// append against max-pending-appends and with all its bytes against max-pending-bytes.</remarks>
/// <param name="Payloads">The records, in order; at least one, together at most the configured max-batch-size.</param>
/// <param name="Durability">When to acknowledge.</param>
/// <param name="CorrelationId">Returned unchanged in the reply.</param>
public sealed record AppendBatch(IReadOnlyList<ReadOnlyMemory<byte>> Payloads, Durability Durability = Durability.Durable, object? CorrelationId = null)
{
    /// <summary>Completed instead of a reply message when the batch comes from <see cref="IWalClient"/>.</summary>
    internal TaskCompletionSource<IReadOnlyList<Lsn>>? Completion { get; init; }

    /// <summary>
    /// When set, the last payload is this consumer commit's encoding and is framed as a commit frame, which ends the
    /// batch: what a consumer wrote and where it resumes are atomic together. The log's consumer registry takes it once
    /// it is acknowledged.
    /// </summary>
    internal Format.ConsumerCommit? Commit { get; init; }
}
