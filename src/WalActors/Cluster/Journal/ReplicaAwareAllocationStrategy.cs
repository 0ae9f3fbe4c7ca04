using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace WalActors.Cluster.Journal;

/// <summary>
/// A Cluster.Sharding allocation strategy for entities on the cluster journal: a shard goes to the region, among those on
/// the nodes that keep its ledger's copies (its ensemble, read from etcd), with the fewest shards, so its entities
/// recover from a local copy; and a shard running off its ensemble (placed while every ensemble node was away) is
/// handed back once one of them has a region again. A shard whose ledger has no ensemble yet (never written) goes to the
/// region with the fewest shards, whose node then becomes part of its ensemble.
/// </summary>
/// <remarks>
/// Pass one per entity type to <c>ClusterSharding.Start</c> (the type name must be the one given there). It reads the
/// journal's settings (<c>walactors.cluster.journal</c>: the lease's etcd and <c>ensemble-key-prefix</c>) when the
/// coordinator starts it. If etcd cannot be read, a shard is allocated as if its ledger had no ensemble, and the
/// journal then refuses its writes with <see cref="ShardNotOnReplicaException"/> until it is handed back.
/// </remarks>
public sealed class ReplicaAwareAllocationStrategy : IShardAllocationStrategy, IActorSystemDependentAllocationStrategy
{
    private readonly string _typeName;
    private readonly int _maxHandBacksPerRound;
    private LedgerEnsembleStore? _ensembles;
    private Address? _self;
    private ILoggingAdapter? _log;

    /// <summary>Creates the strategy for the entity type <paramref name="typeName"/>.</summary>
    /// <param name="typeName">The sharding type name, as given to <c>ClusterSharding.Start</c>.</param>
    /// <param name="maxHandBacksPerRound">At most this many shards are handed back to their ensemble per rebalance round.</param>
    /// <exception cref="ArgumentException"><paramref name="typeName"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHandBacksPerRound"/> is below 1.</exception>
    public ReplicaAwareAllocationStrategy(string typeName, int maxHandBacksPerRound = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHandBacksPerRound, 1);
        _typeName = typeName;
        _maxHandBacksPerRound = maxHandBacksPerRound;
    }

    /// <summary>Called by the shard coordinator when it starts: reads the journal's settings of <paramref name="system"/>.</summary>
    /// <exception cref="ArgumentException">A setting of <c>walactors.cluster.journal</c> is out of range.</exception>
    public void Start(ActorSystem system)
    {
        var settings = ClusterJournalSettings.From(system.Settings.Config);
        _ensembles = LedgerEnsembleStore.For(system, settings.LeaseConfigPath, settings.EnsembleKeyPrefix);
        _self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        _log = Akka.Event.Logging.GetLogger(system, typeof(ReplicaAwareAllocationStrategy));
    }

    /// <inheritdoc />
    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var ensemble = await EnsembleOf(shardId).ConfigureAwait(false);
        return ReplicaPlacement.Choose(Regions(currentShardAllocations), ensemble) ?? requester;
    }

    /// <inheritdoc />
    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var regions = Regions(currentShardAllocations);
        var handBack = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            foreach (var shard in currentShardAllocations[region.Ref])
            {
                if (handBack.Count == _maxHandBacksPerRound)
                {
                    return handBack.ToImmutable();
                }

                if (!rebalanceInProgress.Contains(shard)
                    && await EnsembleOf(shard).ConfigureAwait(false) is { } ensemble
                    && ReplicaPlacement.IsAway(region, regions, ensemble))
                {
                    handBack.Add(shard);
                }
            }
        }

        return handBack.ToImmutable();
    }

    private IReadOnlyList<ReplicaPlacement.Region> Regions(IImmutableDictionary<IActorRef, IImmutableList<string>> allocations) =>
        [.. allocations.Select(a => new ReplicaPlacement.Region(a.Key, NodeOf(a.Key), a.Value.Count))];

    // The coordinator's own node's region is a local ref, whose path has no host.
    private Address NodeOf(IActorRef region) =>
        region.Path.Address.HasGlobalScope ? region.Path.Address : _self ?? throw NotStarted();

    private async Task<IReadOnlyList<Address>?> EnsembleOf(string shardId)
    {
        var store = _ensembles ?? throw NotStarted();
        try
        {
            return await store.ReadAsync(new ShardLocation(_typeName, shardId).LedgerId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Akka.Coordination.LeaseException or InvalidDataException)
        {
            _log?.Warning(e, "Shard {0} of {1}: its ledger's ensemble could not be read; placed as if it had none", shardId, _typeName);
            return null;
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("The allocation strategy was not started: Cluster.Sharding calls Start(ActorSystem) before allocating.");
}
