namespace WalActors;

/// <summary>An append or batch was not acknowledged, and why.</summary>
/// <param name="Reason">
/// <see cref="RecordTooLargeException"/> or <see cref="InvalidAppendException"/> for bad input (nothing was written);
/// <see cref="WalFaultedException"/> after a failed write or barrier; <see cref="WalStoppedException"/> after shutdown.
/// </param>
/// <param name="CorrelationId">The request's correlation id.</param>
public sealed record AppendFailed(WalException Reason, object? CorrelationId);
