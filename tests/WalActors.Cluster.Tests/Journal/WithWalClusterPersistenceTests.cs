using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Query;
using WalActors.Cluster.Replication;
using WalActors.Cluster.Tests.Etcd;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// One Hosting call makes the cluster journal the default journal, starts the node's replica host, puts Sharding on
/// the etcd lease, hands the journal (and its read journal) the application's persistence id → shard mapping, and
/// configures the cluster read journal.
/// </summary>
public sealed class WithWalClusterPersistenceTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task A_hosted_node_persists_sharded_entities_through_the_cluster_journal_with_its_own_shard_mapping()
    {
        var directory = Directory.CreateTempSubdirectory("walactors-hosted-cluster-journal-").FullName;
        try
        {
            var (host, system, region) = await StartNodeAsync("hosted-cluster", directory, _ => { });
            using var disposeHost = host;
            Assert.StartsWith("added:one@", await region.Ask<string>("q7:add:one", JournalCluster.Patience));
            Assert.StartsWith("added:two@", await region.Ask<string>("q7:add:two", JournalCluster.Patience));
            Assert.StartsWith("history:one,two@", await region.Ask<string>("q7:read", JournalCluster.Patience));

            // The same call configures the cluster read journal.
            var queries = PersistenceQuery.Get(system).ReadJournalFor<WalClusterReadJournal>(WalClusterReadJournal.Identifier);
            var read = await queries.EventsByPersistenceId(CounterEntity.PersistenceIdOf("q7"), 1, 2)
                .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(JournalCluster.Patience);
            Assert.Equal(["one", "two"], read.Select(e => (string)e.Event));

            // Snapshots go to the shard's ledger too (the one Hosting call sets the default snapshot store).
            Assert.Equal("snapshotted:2", await region.Ask<string>("q7:snapshot", JournalCluster.Patience));
            // The shard's copy is on the node's one ledger-copy log, served by the node's replica host.
            Assert.True(Directory.Exists(Path.Combine(directory, "ledger-copies")));
            var ledger = new ShardLocation(CounterEntity.TypeName, "q").LedgerId;
            var copy = await system.ActorSelection(LedgerReplicaHost.PathAt(AkkaCluster.Get(system).SelfAddress) / ledger).ResolveOne(JournalCluster.Patience);
            Assert.NotEmpty((await copy.Ask<RangeRead>(new ReadRange(ledger, 0, 10, CommittedOnly: true), JournalCluster.Patience)).Entries);
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// With <see cref="WalClusterPersistenceOptions.LeasedSingletonsRemovalMargin"/>, every singleton holds the etcd
    /// lease, Akka's removal margin is the one given and a singleton retries its lease every half margin: the shard coordinator, a singleton, starts only once it holds
    /// its lease, so an entity answering proves the lease was taken; the lease is then checked held by this node.
    /// A margin that is not positive is refused by name.
    /// </summary>
    [Fact]
    public async Task Leased_singletons_put_the_shard_coordinator_on_an_etcd_lease_and_shorten_the_removal_margin()
    {
        var refused = Assert.Throws<ArgumentException>(() => new WalClusterPersistenceOptions { LeasedSingletonsRemovalMargin = TimeSpan.Zero }.Validate());
        Assert.Contains(nameof(WalClusterPersistenceOptions.LeasedSingletonsRemovalMargin), refused.Message, StringComparison.Ordinal);

        var directory = Directory.CreateTempSubdirectory("walactors-hosted-leased-singletons-").FullName;
        try
        {
            var (host, system, region) = await StartNodeAsync("hosted-leased", directory, options => options.LeasedSingletonsRemovalMargin = TimeSpan.FromSeconds(1));
            using var disposeHost = host;
            Assert.Equal(WalCluster.LeaseConfigPath, system.Settings.Config.GetString("akka.cluster.singleton.use-lease"));
            Assert.Equal(TimeSpan.FromSeconds(1), system.Settings.Config.GetTimeSpan("akka.cluster.down-removal-margin"));
            Assert.Equal(TimeSpan.FromMilliseconds(500), system.Settings.Config.GetTimeSpan("akka.cluster.singleton.lease-retry-interval"));

            Assert.StartsWith("added:one@", await region.Ask<string>("s1:add:one", JournalCluster.Patience));
            // Akka.NET names a singleton's lease "<system>-singleton-<manager's path>", owned by "host:port".
            var coordinatorLease = Akka.Coordination.LeaseProvider.Get(system).GetLease(
                $"{system.Name}-singleton-{system.Name.Insert(0, "akka://")}/system/sharding/{CounterEntity.TypeName}Coordinator",
                WalCluster.LeaseConfigPath,
                AkkaCluster.Get(system).SelfAddress.HostPort());
            Assert.True(coordinatorLease.CheckLease(), "the shard coordinator's singleton does not hold its etcd lease");
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A generic host with one node of its own cluster, set up by <c>WithWalClusterPersistence</c> (R = 1, shards named
    /// by the entity id's first letter, as <see cref="FirstLetterExtractor"/> names them) and whatever
    /// <paramref name="configure"/> adds; started, Up, with the counter entity's region.
    /// </summary>
    private async Task<(IHost Host, ActorSystem System, IActorRef Region)> StartNodeAsync(string name, string directory, Action<WalClusterPersistenceOptions> configure)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(name, builder => builder
                .AddHocon($$"""
                    akka.loglevel = WARNING
                    akka.actor.provider = cluster
                    akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                    akka.cluster.sharding.lease-retry-interval = 200ms
                    akka.cluster.singleton.lease-retry-interval = 200ms
                    walactors.cluster.lease { key-prefix = "tests/{{Guid.NewGuid():N}}/", heartbeat-timeout = 2s, heartbeat-interval = 200ms }
                    """, HoconAddMode.Prepend)
                .WithWalClusterPersistence(options =>
                {
                    options.Directory = directory;
                    options.Replicas = 1;
                    options.WriteQuorum = 1;
                    options.LeaseEndpoints = [etcd.Server.Endpoint];
                    options.ShardOf = persistenceId => new ShardLocation(CounterEntity.TypeName, persistenceId.Split('|')[1][..1]);
                    configure(options);
                })))
            .Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var cluster = AkkaCluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(cluster.SelfAddress);
        await up.Task.WaitAsync(JournalCluster.Patience);
        var region = await ClusterSharding.Get(system).StartAsync(
            CounterEntity.TypeName,
            entityId => Props.Create(() => new CounterEntity(CounterEntity.PersistenceIdOf(entityId))),
            ClusterShardingSettings.Create(system),
            new FirstLetterExtractor());
        return (host, system, region);
    }

    /// <summary>Messages are "ENTITY:…"; an entity's shard is its id's first letter.</summary>
    private sealed class FirstLetterExtractor : IMessageExtractor
    {
        public string EntityId(object message) => ((string)message).Split(':')[0];

        public object EntityMessage(object message) => message;

        public string ShardId(object message) => EntityId(message)[..1];

        public string ShardId(string entityId, object? messageHint = null) => entityId[..1];
    }
}
