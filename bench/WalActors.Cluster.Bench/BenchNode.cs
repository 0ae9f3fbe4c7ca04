using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Bench;

/// <summary>An actor system that is up as a member of its cluster and runs the shard region of <see cref="PersistingEntity"/>.</summary>
public sealed class BenchNode : IAsyncDisposable
{
    public const string SystemName = "cluster-bench";
    public const string EntityType = "bench";
    private const int Shards = 100;
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(60);

    private BenchNode(ActorSystem system, IActorRef region)
    {
        System = system;
        Region = region;
    }

    public ActorSystem System { get; }

    public IActorRef Region { get; }

    public Akka.Actor.Address Address => AkkaCluster.Get(System).SelfAddress;

    /// <summary>
    /// Starts a node, joins <paramref name="seed"/> (itself when null: a cluster of one), waits until it is up and starts
    /// its region; with <paramref name="proxyFor"/>, a proxy that hosts no entity and routes to the nodes of that role.
    /// </summary>
    public static async Task<BenchNode> StartAsync(Config config, Akka.Actor.Address? seed = null, string? proxyFor = null)
    {
        var system = ActorSystem.Create(SystemName, config);
        try
        {
            var cluster = AkkaCluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            await cluster.JoinAsync(seed ?? cluster.SelfAddress);
            await up.Task.WaitAsync(UpTimeout);
            var sharding = ClusterSharding.Get(system);
            var region = proxyFor is null
                ? await sharding.StartAsync(EntityType, PersistingEntity.Props, ClusterShardingSettings.Create(system), new EntityExtractor(Shards))
                : await sharding.StartProxyAsync(EntityType, proxyFor, new EntityExtractor(Shards));
            return new BenchNode(system, region);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AkkaCluster.Get(System).LeaveAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        await System.Terminate();
    }
}
