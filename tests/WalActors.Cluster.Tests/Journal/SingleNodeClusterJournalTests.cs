using Akka.Actor;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>R = 1, W = 1: the cluster journal as a single-node journal, on the same code path as a replicated one.</summary>
public sealed class SingleNodeClusterJournalTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task With_one_replica_every_acknowledged_event_is_in_the_nodes_single_copy_in_order()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 1, replicas: 1, writeQuorum: 1);
        for (var i = 0; i < 5; i++)
        {
            Assert.StartsWith($"added:v{i}@", await cluster.AskAsync(0, $"e1:add:v{i}"));
        }

        Assert.StartsWith("history:v0,v1,v2,v3,v4@", await cluster.AskAsync(0, "e1:read"));
        var copy = await cluster.EventsInCopyAsync(0, JournalCluster.LedgerOf("e1"));
        Assert.Equal(Enumerable.Range(1, 5).Select(n => (CounterEntity.PersistenceIdOf("e1"), (long)n)), copy);
    }

    [Fact]
    public async Task Deleted_events_are_not_replayed_and_the_highest_sequence_number_survives_the_delete()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 1, replicas: 1, writeQuorum: 1);
        for (var i = 0; i < 5; i++)
        {
            Assert.StartsWith($"added:v{i}@", await cluster.AskAsync(0, $"e2:add:v{i}"));
        }

        Assert.Equal("deleted:3", await cluster.AskAsync(0, "e2:delete:3"));

        // A second incarnation beside the sharded one (same node, so the same lease holding) recovers from the ledger.
        var persistenceId = CounterEntity.PersistenceIdOf("e2");
        var fresh = cluster.System(0).ActorOf(Props.Create(() => new CounterEntity(persistenceId, null)));
        Assert.StartsWith("history:v3,v4@", await fresh.Ask<string>("e2:read", JournalCluster.Patience));
        Assert.StartsWith("added:v5@", await fresh.Ask<string>("e2:add:v5", JournalCluster.Patience));
        Assert.Contains((persistenceId, 6L), await cluster.EventsInCopyAsync(0, JournalCluster.LedgerOf("e2")));
    }
}
