using WalActors.Cluster.Journal;

namespace WalActors;

/// <summary>
/// What <c>WithWalClusterPersistence</c> sets up: the cluster journal (<c>walactors.cluster.journal</c>) as the system's
/// default journal, this node's ledger replica host, and Cluster.Sharding's <c>use-lease</c> on the etcd lease the
/// journal writes under. Unset values keep the HOCON defaults (hocon/cluster-journal.conf).
/// </summary>
public sealed class WalClusterPersistenceOptions
{
    /// <summary>The directory of this node's ledger copies (all of them in one log, <c>ledger-copies</c> under it).</summary>
    public string Directory { get; set; } = "wal-cluster-journal";

    /// <summary>R: copies of each ledger, the writer's included; 1 is a single-node journal. 3 by default.</summary>
    public int Replicas { get; set; } = 3;

    /// <summary>W: copies that hold an event durably before it is acknowledged, at most <see cref="Replicas"/>. 2 by default.</summary>
    public int WriteQuorum { get; set; } = 2;

    /// <summary>How long a write, read or recovery waits for its quorum before a typed error; null keeps the default (10 s).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Maps a persistence id to its entity's shard. Null: the default mapping, persistence id
    /// <c>"&lt;type name&gt;|&lt;entity id&gt;"</c> in the shard Sharding's <c>HashCodeMessageExtractor</c> picks with
    /// <see cref="NumberOfShards"/>. It must give the shard Sharding runs the entity in, or the entity's writes fail with
    /// <see cref="ShardNotHeldException"/>.
    /// </summary>
    public Func<string, ShardLocation>? ShardOf { get; set; }

    /// <summary>The number of shards of the default mapping (Sharding's <c>number-of-shards</c>). 100 by default.</summary>
    public int NumberOfShards { get; set; } = 100;

    /// <summary>etcd's client URLs for the shards' leases; null keeps <c>walactors.cluster.lease.endpoints</c>.</summary>
    public IReadOnlyList<string>? LeaseEndpoints { get; set; }

    /// <summary>
    /// Null (the default): Akka's singletons as Akka configures them. Set: every cluster singleton, the shard coordinator
    /// among them, holds an etcd lease as well (<c>akka.cluster.singleton.use-lease</c>), and a dead oldest node's
    /// singletons start elsewhere this long after its removal (<c>akka.cluster.down-removal-margin</c>) instead of the
    /// split-brain resolver's <c>stable-after</c>: the margin exists so that a partitioned oldest can stop its own first,
    /// which the lease now ensures. A singleton that finds the dead holder's lease still unexpired retries every half
    /// margin (<c>akka.cluster.singleton.lease-retry-interval</c>, Akka's 5 s otherwise). A failover's coordinator then
    /// starts sooner (10,000 entities of a killed node all answering after 16.5 s instead of 21.7 s at 1 s, and 14.3 s
    /// with the resolver's <c>stable-after</c> at 3 s, docs/PERFORMANCE.md); every singleton then needs etcd to start.
    /// Must be positive.
    /// </summary>
    public TimeSpan? LeasedSingletonsRemovalMargin { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("WalClusterPersistenceOptions.Directory must name a directory.", nameof(Directory));
        }

        if (Replicas < 1)
        {
            throw new ArgumentException($"WalClusterPersistenceOptions.Replicas must be at least 1; got {Replicas}.", nameof(Replicas));
        }

        if (WriteQuorum < 1 || WriteQuorum > Replicas)
        {
            throw new ArgumentException($"WalClusterPersistenceOptions.WriteQuorum must be between 1 and Replicas ({Replicas}); got {WriteQuorum}.", nameof(WriteQuorum));
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"WalClusterPersistenceOptions.Timeout must be positive; got {timeout}.", nameof(Timeout));
        }

        if (LeasedSingletonsRemovalMargin is { } margin && margin <= TimeSpan.Zero)
        {
            throw new ArgumentException($"WalClusterPersistenceOptions.LeasedSingletonsRemovalMargin must be positive; got {margin}.", nameof(LeasedSingletonsRemovalMargin));
        }

        if (NumberOfShards < 1)
        {
            throw new ArgumentException($"WalClusterPersistenceOptions.NumberOfShards must be at least 1; got {NumberOfShards}.", nameof(NumberOfShards));
        }
    }
}
