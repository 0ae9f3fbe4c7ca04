using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Bench;

/// <summary>An actor system that is up as a member of its cluster and, once started, runs the shard region of <see cref="PersistingEntity"/>.</summary>
public sealed class BenchNode : IAsyncDisposable
{
    public const string SystemName = "cluster-bench";
    public const string EntityType = "bench";

    /// <summary>The shards of the entity type; the cluster journal's <c>number-of-shards</c> is the same.</summary>
    public const int Shards = 100;

    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(60);
    private IActorRef? _region;

    private BenchNode(ActorSystem system) => System = system;

    public ActorSystem System { get; }

    /// <summary>The region (or region proxy) that <see cref="StartRegionAsync"/> started.</summary>
    public IActorRef Region => _region ?? throw new InvalidOperationException("this node runs no shard region");

    public Akka.Actor.Address Address => AkkaCluster.Get(System).SelfAddress;

    /// <summary>
    /// Starts a node, joins <paramref name="seed"/> (itself when null: a cluster of one), waits until it is up and starts
    /// its region; with <paramref name="proxyFor"/>, a proxy that hosts no entity and routes to the nodes of that role.
    /// </summary>
    public static async Task<BenchNode> StartAsync(Config config, Akka.Actor.Address? seed = null, string? proxyFor = null)
    {
        var node = await JoinAsync(config, seed);
        await node.StartRegionAsync(proxyFor);
        return node;
    }

    /// <summary>Starts a node, joins <paramref name="seed"/> (itself when null) and waits until it is up; no region yet.</summary>
    public static async Task<BenchNode> JoinAsync(Config config, Akka.Actor.Address? seed)
    {
        var system = ActorSystem.Create(SystemName, config);
        try
        {
            var cluster = AkkaCluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            await cluster.JoinAsync(seed ?? cluster.SelfAddress);
            await up.Task.WaitAsync(UpTimeout);
            return new BenchNode(system);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Starts this node's region of <see cref="PersistingEntity"/>, or with <paramref name="proxyFor"/> a proxy to that role's regions.</summary>
    public async Task StartRegionAsync(string? proxyFor = null)
    {
        var sharding = ClusterSharding.Get(System);
        _region = proxyFor is null
            ? await sharding.StartAsync(EntityType, PersistingEntity.Props, ClusterShardingSettings.Create(System), new EntityExtractor(Shards))
            : await sharding.StartProxyAsync(EntityType, proxyFor, new EntityExtractor(Shards));
    }

    public async ValueTask DisposeAsync()
    {
        await AkkaCluster.Get(System).LeaveAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        await System.Terminate();
    }
}
