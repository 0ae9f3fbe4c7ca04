namespace WalActors;

/// <summary>A <see cref="Read"/> or <see cref="TruncateBefore"/> could not be served, and why.</summary>
/// <param name="Reason">The typed error.</param>
public sealed record ReadFailed(WalException Reason);
