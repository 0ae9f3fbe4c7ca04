namespace WalActors;

/// <summary>The records a <see cref="Read"/> found, in LSN order, and where to continue.</summary>
/// <param name="Records">The records; empty when nothing more is readable yet.</param>
/// <param name="Next">The LSN to read from next.</param>
public sealed record ReadResult(IReadOnlyList<WalRecord> Records, Lsn Next);
