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
}
