using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Coordination;
using dotnet_etcd;
using WalActors.Cluster.Tests.Etcd;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Tests;

/// <summary>
/// Cluster.Sharding with <c>use-lease = "walactors.cluster.lease"</c> on a one-node cluster: each shard takes its lease
/// in etcd (key named after the shard, value the node's address) before its entities start, and waits while another
/// owner holds it.
/// </summary>
public sealed class ShardingUseLeaseTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_shard_starts_once_its_node_holds_the_shards_etcd_lease_and_waits_while_another_owner_does()
    {
        var prefix = $"tests/{Guid.NewGuid():N}/";
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.sharding.use-lease = "{{WalCluster.LeaseConfigPath}}"
            akka.cluster.sharding.lease-retry-interval = 200ms
            walactors.cluster.lease {
              endpoints = ["{{etcd.Server.Endpoint}}"]
              key-prefix = "{{prefix}}"
              heartbeat-interval = 200ms
            }
            """).WithFallback(WalCluster.DefaultConfig());
        var system = ActorSystem.Create("sharded", config);
        using var outside = new EtcdClient(etcd.Server.Endpoint);
        try
        {
            var cluster = AkkaCluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            await cluster.JoinAsync(cluster.SelfAddress);
            await up.Task.WaitAsync(Patience);
            var region = await ClusterSharding.Get(system).StartAsync("echo", Props.Create<EchoEntity>(), ClusterShardingSettings.Create(system), new ShardPrefixExtractor());
            var owner = cluster.SelfAddress.HostPort();
            // Shard s2's lease is held by another owner (a key that is not this node's).
            await outside.PutAsync($"{prefix}sharded-shard-echo-s2", "another-node:2552");

            Assert.Equal("s1.e1", await region.Ask<string>("s1.e1", Patience));
            var key = (await outside.GetAsync($"{prefix}sharded-shard-echo-s1")).Kvs.Single();
            Assert.Equal(owner, key.Value.ToStringUtf8());
            var lease = (EtcdLease)LeaseProvider.Get(system).GetLease("sharded-shard-echo-s1", WalCluster.LeaseConfigPath, owner);
            Assert.True(lease.CheckLease());
            Assert.Equal(key.CreateRevision, lease.Epoch);

            var blocked = region.Ask<string>("s2.e1", Patience);
            Assert.Equal("s1.e2", await region.Ask<string>("s1.e2", Patience));
            Assert.False(blocked.IsCompleted, "an entity of a shard whose lease another owner holds answered");
            await outside.DeleteAsync($"{prefix}sharded-shard-echo-s2");
            Assert.Equal("s2.e1", await blocked);
            Assert.Equal(owner, (await outside.GetAsync($"{prefix}sharded-shard-echo-s2")).Kvs.Single().Value.ToStringUtf8());
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Answers every message with its entity id.</summary>
    private sealed class EchoEntity : ReceiveActor
    {
        public EchoEntity() => ReceiveAny(_ => Sender.Tell(Self.Path.Name));
    }

    /// <summary>Messages are entity ids "SHARD.ENTITY": the shard is what comes before the dot.</summary>
    private sealed class ShardPrefixExtractor : IMessageExtractor
    {
        public string EntityId(object message) => (string)message;

        public object EntityMessage(object message) => message;

        public string ShardId(object message) => ((string)message).Split('.')[0];

        public string ShardId(string entityId, object? messageHint = null) => entityId.Split('.')[0];
    }
}
