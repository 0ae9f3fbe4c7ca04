using System.Diagnostics;
using System.Globalization;
using WalActors.Cluster.Tests.History;
using Xunit.Abstractions;

namespace WalActors.Cluster.Tests.Nodes;

/// <summary>
/// The loop the cluster fault suites run: a cluster of three nodes, clients persisting through any node, and rounds
/// of one fault each on the live node hosting the most shards, mid-write; after each, every entity must answer a read
/// through the other nodes, then every node that is not running is started again and the cluster has three members
/// once more. At the end every entity is read once more and the history checker gives its verdict. The round count
/// comes from WALACTORS_CLUSTER_FAILOVERS, the seed from WALACTORS_CLUSTER_SEED, the journal (local or cluster) from
/// WALACTORS_CLUSTER_JOURNAL; WALACTORS_CLUSTER_LOGS names a directory that keeps every node's whole log.
/// </summary>
public sealed class FailoverRounds(string etcdEndpoint, ITestOutputHelper output)
{
    private const string FailoversVariable = "WALACTORS_CLUSTER_FAILOVERS";
    private const string SeedVariable = "WALACTORS_CLUSTER_SEED";
    private const string JournalVariable = "WALACTORS_CLUSTER_JOURNAL";
    private const string LogsVariable = "WALACTORS_CLUSTER_LOGS";
    private const int Entities = 40;
    private const int Clients = 8;
    private const int AcknowledgedPerRound = 40;
    // Only a bound on a round that fails: a partitioned owner holds its leases until it has downed itself and exited,
    // which took ~67 s in some rounds on a quiet machine and ran past a 2-minute bound once at load 18.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>Whether each node reaches etcd through a proxy of its own (<see cref="NodeCluster.CutFromEtcd"/>).</summary>
    public bool EtcdProxies { get; init; }

    /// <summary>After <see cref="RunAsync"/>: the persists clients sent that only an owner cut off could have acknowledged.</summary>
    public int SentToCutOff { get; private set; }

    /// <summary>After <see cref="RunAsync"/>: how many of those were acknowledged (a correct cluster: none).</summary>
    public int AcknowledgedByCutOff { get; private set; }

    /// <summary>
    /// Runs the rounds: <paramref name="strike"/> faults a node (its index; the clients persisting meanwhile), and <paramref name="afterServing"/> runs
    /// once every entity answered again, before the restart. Returns the checker's verdict.
    /// </summary>
    public async Task<HistoryVerdict> RunAsync(int defaultRounds, Func<NodeCluster, int, PersistingClients, Task> strike, Func<NodeCluster, int, Task> afterServing)
    {
        var rounds = Read(FailoversVariable) ?? defaultRounds;
        var seed = Read(SeedVariable) ?? Random.Shared.Next();
        var journal = Environment.GetEnvironmentVariable(JournalVariable) ?? "cluster";
        output.WriteLine($"{rounds} rounds ({FailoversVariable}), seed {seed} ({SeedVariable}), journal {journal} ({JournalVariable})");
        var random = new Random(seed);
        using var directory = new WalActors.Tests.Support.TempDirectory();
        var checker = new HistoryChecker();
        var clock = Stopwatch.StartNew();
        await using var cluster = await NodeCluster.StartAsync(etcdEndpoint, directory.Path, journal, etcdProxies: EtcdProxies);
        try
        {
            await cluster.WaitForMembersAsync(cluster.Size, Patience);
            output.WriteLine($"{clock.Elapsed}: {cluster.Size} nodes up");
            await EntityReads.ReadAllAsync(cluster, checker, Entities, Patience);
            await using (var clients = new PersistingClients(cluster, checker, Clients, Entities, seed))
            {
                for (var round = 1; round <= rounds; round++)
                {
                    // Mid-write: the fault comes while every client has a persist in flight.
                    await clients.WaitForAcknowledgedAsync(clients.Acknowledged, AcknowledgedPerRound, Patience);
                    var victim = await OwnerOfMostShardsAsync(cluster, random);
                    await strike(cluster, victim.Index, clients);
                    var struck = clock.Elapsed;
                    await EntityReads.ReadAllAsync(cluster, checker, Entities, Patience);
                    checker.Failover();
                    var serving = clock.Elapsed;
                    await afterServing(cluster, victim.Index);
                    var restarted = await cluster.RestartExitedAsync();
                    await cluster.WaitForMembersAsync(cluster.Size, Patience);
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{clock.Elapsed}: round {round}: node {victim.Index} (shards {string.Join(',', victim.Shards)}) struck, every entity answered {(serving - struck).TotalSeconds:0.0} s later; restarted [{string.Join(',', restarted)}]; {clients.Acknowledged} acknowledged, {clients.Failed} not; {clients.AcknowledgedByCutOff} of {clients.SentToCutOff} sent to a cut-off node acknowledged"));
                }

                await clients.StopAsync();
                SentToCutOff = clients.SentToCutOff;
                AcknowledgedByCutOff = clients.AcknowledgedByCutOff;
            }

            await EntityReads.ReadAllAsync(cluster, checker, Entities, Patience);
            var verdict = checker.Check();
            output.WriteLine($"{clock.Elapsed}: {verdict}");
            return verdict;
        }
        catch (Exception e)
        {
            output.WriteLine($"{clock.Elapsed}: failed: {e}");
            for (var i = 0; i < cluster.Size; i++)
            {
                var log = File.Exists(cluster.LogFile(i)) ? File.ReadLines(cluster.LogFile(i)).TakeLast(5) : [];
                output.WriteLine($"node {i}'s log ends:\n{string.Join('\n', log)}");
            }

            throw;
        }
        finally
        {
            KeepLogs(cluster, seed);
        }
    }

    // The nodes' directories go with the run; a stall is diagnosed from their whole logs, which WALACTORS_CLUSTER_LOGS keeps.
    private void KeepLogs(NodeCluster cluster, int seed)
    {
        if (Environment.GetEnvironmentVariable(LogsVariable) is not { Length: > 0 } keep)
        {
            return;
        }

        var into = Path.Combine(keep, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-seed-{seed}"));
        Directory.CreateDirectory(into);
        for (var i = 0; i < cluster.Size; i++)
        {
            if (File.Exists(cluster.LogFile(i)))
            {
                File.Copy(cluster.LogFile(i), Path.Combine(into, string.Create(CultureInfo.InvariantCulture, $"node-{i}.log")));
            }
        }

        output.WriteLine($"node logs kept in {into} ({LogsVariable})");
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
