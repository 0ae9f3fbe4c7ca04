using WalActors.Cluster.Tests.Etcd;
using WalActors.Cluster.Tests.Nodes;
using Xunit.Abstractions;

namespace WalActors.Cluster.Tests;

/// <summary>
/// A network partition: the node hosting the most shards is blackholed from the other two mid-write (Akka.Remote's
/// throttler drops everything between them) while its process keeps running and keeps its etcd connection, so it
/// holds its leases until it is gone. Clients keep sending it persists. The two down it, it downs itself as the
/// minority and exits, its leases expire, and its shards start on the majority. Whatever it acknowledged while cut off
/// would be missing from the new owners' histories: it must acknowledge nothing (no write reaches a second copy), and
/// the history checker finds every acknowledged event in place, once, after it rejoined.
/// </summary>
public sealed class ClusterPartitionTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private const int DefaultPartitions = 3;
    private static readonly TimeSpan CommandPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DownedExit = TimeSpan.FromSeconds(60);

    // Every run so far found no acknowledged event lost or duplicated, but 2 of 9 runs did not finish: once a round ran
    // past its bound at load 18, and once (CI, 2026-12-03) the cluster acknowledged only 17 persists in 4 minutes after
    // the first partitioned owner rejoined. The ~67 s rounds were a hand-off stuck for sharding's handoff-timeout (now
    // 10 s on the nodes); whether the stall was the same is not proven, so it is not in the default run.
    [OptInFact("WALACTORS_CLUSTER_PARTITIONS", "The partition suite once stalled in CI after a partitioned owner rejoined (cause not proven).")]
    public async Task A_node_cut_off_from_the_others_acknowledges_nothing_and_every_acknowledged_event_survives()
    {
        var rounds = new FailoverRounds(etcd.Server.Endpoint, output);
        var verdict = await rounds.RunAsync(
            DefaultPartitions,
            strike: (cluster, victim, _) => cluster.BlackholeAsync(victim, CommandPatience),
            afterServing: async (cluster, victim) =>
            {
                var node = cluster[victim];
                var exited = await node.WaitForExitAsync(DownedExit);
                Assert.True(exited, $"node {victim}, blackholed from the others, was still running {DownedExit} after every entity answered through the others");
                Assert.True(node.ExitCode == 3, $"node {victim} exited with {node.ExitCode}, not 3 (downed)");
                // Downed with every other member unreachable to its own failure detector: the cut held both ways, and
                // it took itself down as the minority rather than hearing it from the majority.
                Assert.True(
                    node.UnreachableWhenDowned == cluster.Size - 1,
                    $"node {victim} was downed seeing {node.UnreachableWhenDowned?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} members unreachable, not {cluster.Size - 1}");
            });

        Assert.True(verdict.Passed, verdict.ToString());
        Assert.True(rounds.SentToCutOff > 0, "no persist was sent to a cut-off node: the rounds proved nothing about one");
        Assert.True(rounds.AcknowledgedByCutOff == 0, $"a cut-off node acknowledged {rounds.AcknowledgedByCutOff} of the {rounds.SentToCutOff} persists it was sent");
    }
}
