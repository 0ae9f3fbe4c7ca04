namespace WalActors;

/// <summary>An append or batch was not acknowledged, and why.</summary>
/// <param name="Reason">
/// <see cref="RecordTooLargeException"/> or <see cref="InvalidAppendException"/> for bad input (nothing was written);
/// <see cref="WalFaultedException"/> after a failed write or barrier, or a crash of one of the log's actors;
/// <see cref="WalStoppedException"/> after shutdown, or when the log stopped before answering;
/// <see cref="WalOverloadedException"/> at once, when the log already holds max-pending-appends / max-pending-bytes
/// (nothing was written: send it again later). Overloaded replies of one log share one exception instance.
/// </param>
/// <param name="CorrelationId">The request's correlation id.</param>
public sealed record AppendFailed(WalException Reason, object? CorrelationId);
