namespace WalActors;

/// <summary>A requested barrier has returned: everything before <paramref name="DurableEnd"/> is on stable storage.</summary>
/// <param name="DurableEnd">The LSN one past the last durable byte.</param>
public sealed record Synced(Lsn DurableEnd);
