namespace WalActors;

/// <summary>Retention ran: the log now starts at <paramref name="Head"/>.</summary>
/// <param name="Head">The first LSN the log still holds.</param>
public sealed record TruncatedBefore(Lsn Head);
