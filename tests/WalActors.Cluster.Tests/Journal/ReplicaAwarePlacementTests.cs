using WalActors.Cluster.Journal;
using WalActors.Cluster.Tests.Etcd;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// Four nodes, R = 3, W = 2, shards placed by <see cref="ReplicaAwareAllocationStrategy"/>: every ledger's ensemble is
/// three of the four nodes, fixed in etcd by its first writer; every shard runs on a node of its ensemble, before and
/// after its owner is killed, and recovers every acknowledged event there; a node outside an ensemble cannot open the
/// ledger (<see cref="ShardNotOnReplicaException"/>).
/// </summary>
public sealed class ReplicaAwarePlacementTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private static readonly string[] Entities = ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8"];

    [Fact]
    public async Task Shards_run_on_their_ensemble_and_move_within_it_when_their_owner_is_killed()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 4, replicas: 3, writeQuorum: 2, replicaAware: true);
        var owners = new Dictionary<string, int>();
        foreach (var entity in Entities)
        {
            var answer = await cluster.AskAsync(0, $"{entity}:add:{entity}-0");
            Assert.StartsWith($"added:{entity}-0@", answer);
            owners[entity] = cluster.NodeOf(answer);
        }

        var store = LedgerEnsembleStore.For(cluster.System(0), WalCluster.LeaseConfigPath, "");
        var ensembles = new Dictionary<string, IReadOnlyList<Akka.Actor.Address>>();
        foreach (var entity in Entities)
        {
            var ensemble = await store.ReadAsync(JournalCluster.LedgerOf(entity)) ?? throw new Xunit.Sdk.XunitException($"{entity}'s ledger has no ensemble");
            Assert.Equal(3, ensemble.Distinct().Count());
            Assert.Contains(AddressOf(cluster, owners[entity]), ensemble);
            ensembles[entity] = ensemble;
        }

        // A node outside an ensemble cannot open that ledger, whoever asks.
        var (outsider, ledger) = Entities.Select(e => (Node: cluster.Running.First(n => !ensembles[e].Contains(AddressOf(cluster, n))), Ledger: JournalCluster.LedgerOf(e))).First();
        var system = cluster.System(outsider);
        var copies = new LedgerCopies(system, LedgerReplicas.Get(system).Settings, LedgerReplicas.Get(system).Host, LedgerEnsembleStore.For(system, WalCluster.LeaseConfigPath, ""));
        var refused = await Assert.ThrowsAsync<ShardNotOnReplicaException>(() => copies.EnsureAsync(ledger));
        Assert.Equal(ledger, refused.Ledger);

        var victim = owners[Entities[0]];
        var victimAddress = AddressOf(cluster, victim);
        output.WriteLine($"killing node {victim}, owner of {string.Join(", ", Entities.Where(e => owners[e] == victim))}");
        await cluster.KillAsync(victim);

        var survivor = cluster.Running.First();
        foreach (var entity in Entities)
        {
            var history = await cluster.AskUntilAnsweredAsync(survivor, $"{entity}:read");
            Assert.StartsWith($"history:{entity}-0@", history);
            var node = cluster.NodeOf(history);
            Assert.Contains(AddressOf(cluster, node), ensembles[entity]);
            Assert.NotEqual(victimAddress, AddressOf(cluster, node));
        }
    }

    private static Akka.Actor.Address AddressOf(JournalCluster cluster, int node) => AkkaCluster.Get(cluster.System(node)).SelfAddress;
}
