namespace WalActors.Cluster.Journal;

/// <summary>
/// The Cluster.Sharding shard a persistent entity lives in: its events go to that shard's ledger, written under that
/// shard's lease.
/// </summary>
/// <param name="TypeName">The sharding type name (the one given to <c>ClusterSharding.Start</c>).</param>
/// <param name="ShardId">The shard id the message extractor gives the entity.</param>
public sealed record ShardLocation(string TypeName, string ShardId)
{
    /// <summary>
    /// The ledger's id, the same on every node: the type name and shard id, each escaped so that the id is a valid actor
    /// name and directory name, joined by <c>+</c> (which escaping never leaves in either part).
    /// </summary>
    public string LedgerId => $"{Uri.EscapeDataString(TypeName)}+{Uri.EscapeDataString(ShardId)}";

    /// <summary>The lease name Cluster.Sharding's Shard uses for this shard in <paramref name="systemName"/>.</summary>
    public string LeaseName(string systemName) => $"{systemName}-shard-{TypeName}-{ShardId}";
}
