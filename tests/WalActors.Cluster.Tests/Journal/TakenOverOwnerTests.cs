using Akka.Actor;
using Akka.Coordination;
using dotnet_etcd;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Tests.Etcd;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// A node whose shard lease was taken over (its key deleted behind its back, as when it expires during a pause, and
/// acquired by another node at a higher epoch) cannot get a write acknowledged: the write fails with a typed error and
/// is in no later history; the new holder recovers every acknowledged event and writes on.
/// </summary>
public sealed class TakenOverOwnerTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task A_write_by_a_node_whose_lease_was_taken_over_fails_typed_and_is_never_acknowledged()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 3, replicas: 3, writeQuorum: 2);
        using var outside = new EtcdClient(etcd.Server.Endpoint);
        var location = new ShardLocation(CounterEntity.TypeName, DefaultShardMapping.ShardOf("x", JournalCluster.Shards));
        var leaseName = location.LeaseName(cluster.System(0).Name);
        var persistenceId = CounterEntity.PersistenceIdOf("x");

        // Node 0 holds the shard's lease (the instance its journal gets through LeaseProvider) and persists.
        Assert.True(await LeaseOf(cluster.System(0), leaseName).Acquire());
        var old = cluster.System(0).ActorOf(Props.Create(() => new CounterEntity(persistenceId)));
        Assert.StartsWith("added:v1@", await old.Ask<string>("x:add:v1", JournalCluster.Patience));
        Assert.StartsWith("added:v2@", await old.Ask<string>("x:add:v2", JournalCluster.Patience));

        // Its key goes (as on expiry) and node 1 takes the lease at a higher epoch, recovering from the copies.
        await outside.DeleteAsync(cluster.KeyPrefix + leaseName);
        var taker = LeaseOf(cluster.System(1), leaseName);
        Assert.True(await taker.Acquire());
        var successor = cluster.System(1).ActorOf(Props.Create(() => new CounterEntity(persistenceId)));
        Assert.StartsWith("history:v1,v2@", await successor.Ask<string>("x:read", JournalCluster.Patience));

        var stale = await old.Ask<string>("x:add:stale", JournalCluster.Patience);
        Assert.True(
            stale is "failed:stale:ShardNotHeldException" or "failed:stale:LedgerFencedException",
            $"the old owner's write was answered '{stale}'");

        Assert.StartsWith("added:v3@", await successor.Ask<string>("x:add:v3", JournalCluster.Patience));
        var fresh = cluster.System(1).ActorOf(Props.Create(() => new CounterEntity(persistenceId)));
        await successor.GracefulStop(JournalCluster.Patience);
        Assert.StartsWith("history:v1,v2,v3@", await fresh.Ask<string>("x:read", JournalCluster.Patience));
    }

    private static Lease LeaseOf(ActorSystem system, string leaseName) =>
        LeaseProvider.Get(system).GetLease(leaseName, WalCluster.LeaseConfigPath, AkkaCluster.Get(system).SelfAddress.HostPort());
}
