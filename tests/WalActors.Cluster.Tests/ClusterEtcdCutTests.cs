using WalActors.Cluster.Tests.Etcd;
using WalActors.Cluster.Tests.Nodes;
using Xunit.Abstractions;

namespace WalActors.Cluster.Tests;

/// <summary>
/// A partition between one node and etcd alone: the node hosting the most shards keeps its cluster membership (so
/// sharding keeps its shards there and nobody else may take them) but reaches etcd through a proxy that forwards
/// nothing. Its leases run out; from then on its shards' writes need a lease it cannot renew, and persists to its
/// entities, through any node, must not be acknowledged. When etcd is back the node takes its leases again, at a higher
/// epoch, and reopens its ledgers behind a fence of its own old epoch: every entity answers, and the history checker
/// finds every acknowledged event in place, once.
/// </summary>
public sealed class ClusterEtcdCutTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private const int DefaultCuts = 3;

    // Persists sent to the cut-off owner's entities once its leases are gone, per round: the cut lasts until they are
    // sent (each waits for the node's 5 s ask timeout), so every round proves something.
    private const int PersistsPerCut = 8;

    // The nodes' leases: heartbeat-timeout 2 s, lease-operation-timeout 2 s. A holder that cannot renew knows its lease
    // lost by then; four times that leaves room for a loaded machine before a persist counts as sent to a cut-off owner.
    private static readonly TimeSpan LeaseGone = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_node_cut_off_from_etcd_acknowledges_nothing_for_its_shards_and_serves_them_again_after_the_heal()
    {
        var rounds = new FailoverRounds(etcd.Server.Endpoint, output) { EtcdProxies = true };
        var verdict = await rounds.RunAsync(
            DefaultCuts,
            strike: async (cluster, victim, clients) =>
            {
                var shards = await cluster.ShardsAsync(victim, Patience);
                Assert.NotEmpty(shards);
                var sent = clients.SentToCutOff;
                cluster.CutFromEtcd(victim, shards, LeaseGone);
                try
                {
                    await clients.WaitForSentToCutOffAsync(sent, PersistsPerCut, Patience);

                    // Healed only once every persist counted has its answer: after the heal the owner may rightly
                    // acknowledge a persist still waiting in its shard's buffer.
                    cluster.EndEtcdCutWindow();
                    await clients.WaitForCutOffAnsweredAsync(Patience);
                }
                finally
                {
                    cluster.HealEtcd(victim);
                }
            },
            afterServing: (cluster, victim) =>
            {
                // The node stays a member throughout: its shards came back to it, nothing was restarted.
                Assert.False(cluster[victim].HasExited, $"node {victim}, cut off from etcd only, exited (code {cluster[victim].ExitCode})");
                return Task.CompletedTask;
            });

        Assert.True(verdict.Passed, verdict.ToString());
        Assert.True(rounds.SentToCutOff > 0, "no persist reached an owner cut off from etcd: the rounds proved nothing about one");
        Assert.True(rounds.AcknowledgedByCutOff == 0, $"an owner cut off from etcd acknowledged {rounds.AcknowledgedByCutOff} of the {rounds.SentToCutOff} persists to its entities sent once its leases were gone");
    }
}
