namespace WalActors;

/// <summary>
/// The cluster journal was asked to write or replay a shard on a node that keeps no copy of the shard's ledger: the
/// ledger's ensemble (fixed in etcd by its first writer) does not include this node. Nothing was written. It happens when
/// Cluster.Sharding places the shard off its ensemble (use <c>ReplicaAwareAllocationStrategy</c>, which
/// <c>WithWalClusterPersistence</c> sets up, so that it does not), or when every node of the ensemble is gone.
/// </summary>
public sealed class ShardNotOnReplicaException : WalException
{
    /// <summary>Creates the exception for <paramref name="ledger"/>.</summary>
    /// <param name="ledger">The shard's ledger id.</param>
    /// <param name="node">This node's address.</param>
    /// <param name="ensemble">The nodes that keep the ledger's copies.</param>
    public ShardNotOnReplicaException(string ledger, string node, IReadOnlyList<string> ensemble)
        : base($"Ledger '{ledger}' is kept on {string.Join(", ", ensemble)}, not on this node ({node}): its shard must run on one of those nodes.")
    {
        Ledger = ledger;
        Node = node;
        Ensemble = ensemble;
    }

    /// <summary>The shard's ledger id.</summary>
    public string Ledger { get; }

    /// <summary>This node's address.</summary>
    public string Node { get; }

    /// <summary>The nodes that keep the ledger's copies (the ensemble's addresses).</summary>
    public IReadOnlyList<string> Ensemble { get; }
}
