using System.Diagnostics;
using System.Globalization;
using WalActors.Cluster.Tests.Etcd;
using WalActors.Cluster.Tests.History;
using WalActors.Cluster.Tests.Nodes;
using WalActors.Tests.Support;
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
    private const string FailoversVariable = "WALACTORS_CLUSTER_FAILOVERS";
    private const string SeedVariable = "WALACTORS_CLUSTER_SEED";
    private const string JournalVariable = "WALACTORS_CLUSTER_JOURNAL";
    private const int DefaultFailovers = 5;
    private const int Entities = 40;
    private const int Clients = 8;
    private const int AcknowledgedPerRound = 40;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Every_acknowledged_event_survives_repeated_kill_9_of_the_node_owning_the_shards()
    {
        var failovers = Read(FailoversVariable) ?? DefaultFailovers;
        var seed = Read(SeedVariable) ?? Random.Shared.Next();
        var journal = Environment.GetEnvironmentVariable(JournalVariable) ?? "local";
        output.WriteLine($"{failovers} failovers ({FailoversVariable}), seed {seed} ({SeedVariable}), journal {journal} ({JournalVariable})");
        var random = new Random(seed);
        using var directory = new TempDirectory();
        var checker = new HistoryChecker();
        var clock = Stopwatch.StartNew();
        await using var cluster = await NodeCluster.StartAsync(etcd.Server.Endpoint, directory.Path, journal);
        try
        {
            await cluster.WaitForMembersAsync(cluster.Size, Patience);
            output.WriteLine($"{clock.Elapsed}: {cluster.Size} nodes up");
            await EntityReads.ReadAllAsync(cluster, checker, Entities, Patience);
            await using var clients = new PersistingClients(cluster, checker, Clients, Entities, seed);
            for (var round = 1; round <= failovers; round++)
            {
                // Mid-write: the kill comes while every client has a persist in flight.
                await clients.WaitForAcknowledgedAsync(clients.Acknowledged, AcknowledgedPerRound, Patience);
                var victim = await OwnerOfMostShardsAsync(cluster, random);
                await cluster.KillAsync(victim.Index);
                var killed = clock.Elapsed;
                await EntityReads.ReadAllAsync(cluster, checker, Entities, Patience);
                checker.Failover();
                var serving = clock.Elapsed;
                await cluster.RestartAsync(victim.Index);
                await cluster.WaitForMembersAsync(cluster.Size, Patience);
                output.WriteLine($"{clock.Elapsed}: failover {round}: killed node {victim.Index} (shards {string.Join(',', victim.Shards)}), every entity answered {serving - killed:s\\.f} s later, restarted; {clients.Acknowledged} acknowledged, {clients.Failed} not");
            }

            await clients.StopAsync();
            await EntityReads.ReadAllAsync(cluster, checker, Entities, Patience);
            var verdict = checker.Check();
            output.WriteLine($"{clock.Elapsed}: {verdict}");
            Assert.True(verdict.Passed, verdict.ToString());
        }
        catch
        {
            for (var i = 0; i < cluster.Size; i++)
            {
                output.WriteLine($"node {i}'s log ends: {string.Join('\n', File.Exists(cluster.LogFile(i)) ? File.ReadLines(cluster.LogFile(i)).TakeLast(5) : [])}");
            }

            throw;
        }
    }

    /// <summary>The live node hosting the most shards (ties broken by the seeded random).</summary>
    private static async Task<(int Index, IReadOnlyList<string> Shards)> OwnerOfMostShardsAsync(NodeCluster cluster, Random random)
    {
        var owners = await Task.WhenAll(cluster.Live.Select(async n => (n.Index, Shards: await cluster.ShardsAsync(n.Index, Patience))));
        var most = owners.Max(o => o.Shards.Count);
        var candidates = owners.Where(o => o.Shards.Count == most).ToList();
        return candidates[random.Next(candidates.Count)];
    }

    private static int? Read(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : null;
}
