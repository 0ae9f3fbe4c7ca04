namespace WalActors.Cluster.Replication;

// The writer's local protocol (never crosses the wire: the facade and the writer share a node).

/// <summary>Append <paramref name="Payloads"/> as consecutive entries; <paramref name="Completion"/> gets the first one's position once W copies hold them all durably.</summary>
internal sealed record LedgerAppend(IReadOnlyList<byte[]> Payloads, TaskCompletionSource<long> Completion);

/// <summary>Asks the writer for its quorum end: every entry below it is durable on W copies. Answered with a <see cref="long"/>.</summary>
internal sealed record GetQuorumEnd
{
    public static readonly GetQuorumEnd Instance = new();
}
