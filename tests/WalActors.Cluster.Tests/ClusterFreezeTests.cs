using WalActors.Cluster.Tests.Etcd;
using WalActors.Cluster.Tests.Nodes;
using Xunit.Abstractions;

namespace WalActors.Cluster.Tests;

/// <summary>
/// The stale owner: the node hosting the most shards is frozen with SIGSTOP mid-write (a long GC pause, a frozen VM),
/// cut off from the other nodes and from etcd alike. The others down it, its leases expire, its shards start elsewhere
/// and every entity answers again. Then it is thawed with the persists it was sent still in its input and, for a
/// moment, the belief that it owns its shards, until it learns it was downed (from the others' gossip, its own resolver, or
/// the others refusing it as quarantined) and exits. Whatever it acknowledges after
/// it lost its leases would be missing from the new owners' histories: the history checker finds no such event.
/// </summary>
public sealed class ClusterFreezeTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private const int DefaultFreezes = 3;
    private static readonly TimeSpan DownedExit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_owner_frozen_past_its_lease_acknowledges_nothing_the_new_owners_lose()
    {
        var verdict = await new FailoverRounds(etcd.Server.Endpoint, output).RunAsync(
            DefaultFreezes,
            strike: (cluster, victim, _) =>
            {
                cluster[victim].Freeze();
                return Task.CompletedTask;
            },
            afterServing: async (cluster, victim) =>
            {
                cluster[victim].Thaw();
                var exited = await cluster[victim].WaitForExitAsync(DownedExit);
                Assert.True(exited, $"node {victim}, downed while frozen, was still running {DownedExit} after it was thawed");
                var node = cluster[victim];
                output.WriteLine(node.QuarantinedBy is { } by
                    ? $"node {victim} thawed and exited: quarantined by {by}"
                    : $"node {victim} thawed and exited: downed, {node.UnreachableWhenDowned?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} members unreachable");
            });

        Assert.True(verdict.Passed, verdict.ToString());
    }
}
