using WalActors.Cluster.Tests.Etcd;
using WalActors.Cluster.Tests.Nodes;
using Xunit.Abstractions;

namespace WalActors.Cluster.Tests;

/// <summary>
/// Three node processes and etcd: clients keep persisting to many sharded entities through any node while the node
/// hosting the most shards is killed with SIGKILL, again and again. After each kill its shards move (the split-brain
/// resolver downs it, its leases expire in etcd, the survivors take them) and every entity must answer again; the
/// killed node is then started again so the cluster keeps three members. The history checker then proves that every
/// acknowledged event is still there, in place, once.
/// </summary>
public sealed class ClusterKillTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    // With the freeze suite's 3, 17 failovers per CI run: at 17 rounds this one test ran past the 10-minute hang bound
    // in CI on 2026-12-03 (it is one test; the bound is per test). Short of the 20 until rounds are faster.
    private const int DefaultFailovers = 14;

    [Fact]
    public async Task Every_acknowledged_event_survives_repeated_kill_9_of_the_node_owning_the_shards()
    {
        var verdict = await new FailoverRounds(etcd.Server.Endpoint, output).RunAsync(
            DefaultFailovers,
            strike: (cluster, victim) => cluster.KillAsync(victim),
            afterServing: (_, _) => Task.CompletedTask);

        Assert.True(verdict.Passed, verdict.ToString());
    }
}
