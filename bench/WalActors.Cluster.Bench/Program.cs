using System.Globalization;
using Akka.Actor;
using WalActors.Cluster.Bench;
using WalActors.Cluster.Tests.Etcd;

if (args is ["node", var nodeJournal, var nodeSeed, var nodeSetting, var nodeEtcd])
{
    await NodeMain.RunAsync(nodeJournal, nodeSeed, nodeSetting, nodeEtcd == "-" ? null : nodeEtcd);
    return;
}

// The cluster benchmark (issue 15): sharded persistent entities, each persisting one event at a time (a closed loop),
// through Cluster.Sharding on every row, so that sharding's cost is in every figure. Rows: Akka.Persistence.Sql on a
// PostgreSQL this run starts (bench/cluster/setup-postgres.sh; fsync and synchronous_commit on) and WalActors'
// node-local journal, each on a one-node cluster of its own, and WalActors' cluster journal at R = 1 and R = 3/W = 2 on
// three nodes (etcd started as the cluster tests start it), run one after the other at each entity count.
//   dotnet run -c Release --project bench/WalActors.Cluster.Bench -- [--entities 1,1000]
//     [--journals sql-postgres,walactors,cluster-r1,cluster-r3w2]
//     [--warmup SECONDS] [--seconds SECONDS] [--rounds N] [--failover ENTITIES] [--only-failover]
// Each row starts its journal's nodes (in fresh directories) and stops them after, so no other journal's nodes (the
// cluster journal's hold a log per ledger copy) run beside it. With N rounds every row runs N times, interleaved with
// the other journals' rows, and the table shows each row's median round (by persists/s): on a shared machine a
// neighbour's burst then moves one round, not a ratio.
var entityCounts = ListArg("--entities", "1,1000").Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray();
var journals = ListArg("--journals", string.Join(',', BenchJournals.All));
var warmup = TimeSpan.FromSeconds(double.Parse(Arg("--warmup", "5"), CultureInfo.InvariantCulture));
var window = TimeSpan.FromSeconds(double.Parse(Arg("--seconds", "15"), CultureInfo.InvariantCulture));
var rounds = int.Parse(Arg("--rounds", "1"), CultureInfo.InvariantCulture);
var failoverEntities = int.Parse(Arg("--failover", "0"), CultureInfo.InvariantCulture);
var onlyFailover = args.Contains("--only-failover");
var root = Path.Combine(Path.GetTempPath(), "walactors-cluster-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
Console.WriteLine($"cluster bench: {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}, " +
                  $"warm-up {warmup.TotalSeconds:F0} s, window {window.TotalSeconds:F0} s per row, {rounds} round(s)");

var results = new List<RowResult>();
PostgresServer? postgres = null;
EtcdServer? etcd = null;
try
{
    if (journals.Contains(BenchJournals.SqlPostgres))
    {
        postgres = await PostgresServer.StartAsync(Path.Combine(root, "postgres"));
    }

    if (journals.Any(BenchJournals.IsCluster))
    {
        etcd = await EtcdServer.StartAsync();
    }

    if (failoverEntities > 0)
    {
        await RunFailovers();
        if (onlyFailover)
        {
            return;
        }
    }

    foreach (var (round, entities) in Enumerable.Range(0, rounds).SelectMany(round => entityCounts.Select(entities => (round, entities))))
    {
        foreach (var journal in journals)
        {
            var row = await RunRow(journal, entities, round);
            results.Add(row);
            Console.WriteLine($"  {journal,-14} {entities,6:N0} entities  {row.PerSecond,10:N0} persists/s  p50 {row.P50Ms,7:F2} ms  p99 {row.P99Ms,7:F2} ms" +
                              (row.Failures > 0 ? $"  {row.Failures:N0} FAILED" : string.Empty));
        }
    }

    PrintTable();
    Console.WriteLine($"ended {DateTime.UtcNow:HH:mm:ss} UTC, load average {LoadAverage()}");
}
finally
{
    if (etcd is not null)
    {
        await etcd.DisposeAsync();
    }

    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }

    Directory.Delete(root, recursive: true);
}

string Setting(string journal) => journal == BenchJournals.SqlPostgres ? postgres!.ConnectionString : Path.Combine(root, journal);

async Task RunFailovers()
{
    var failovers = new List<FailoverResult>();
    if (FailoverSettings.Overrides.Length > 0)
    {
        Console.WriteLine($"failover settings over the defaults (WALACTORS_BENCH_FAILOVER_HOCON): {FailoverSettings.Overrides.ReplaceLineEndings(" ")}");
    }

    // A node-local journal, and the cluster journal at R = 1, keep an entity's events only on the node that is killed:
    // a moved entity would start empty, so they have no failover row.
    foreach (var journal in journals.Where(j => j is not (BenchJournals.Wal or BenchJournals.ClusterR1)))
    {
        failovers.Add(await FailoverBench.RunAsync(journal, Setting(journal), etcd?.Endpoint, failoverEntities));
    }

    Console.WriteLine();
    Console.WriteLine("| journal | entities | victim removed | first answer | all answered | requests | lost |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var f in failovers)
    {
        Console.WriteLine($"| {f.Journal} | {f.Entities:N0} | {f.Removed.TotalSeconds:F1} s | {f.FirstAnswer.TotalSeconds:F1} s | {f.AllAnswered.TotalSeconds:F1} s | {f.Requests:N0} | {f.Lost:N0} |");
    }

    Console.WriteLine();
    // Issue 15's target, for the cluster journal: the killed node's entities serve again within the lease's expiry
    // (its TTL, the default heartbeat-timeout, counted from the kill) + 5 s.
    var leaseExpiry = WalActors.Cluster.Journal.WalClusterJournal.DefaultConfig().GetTimeSpan("walactors.cluster.lease.heartbeat-timeout");
    foreach (var f in failovers.Where(f => f.Journal == BenchJournals.ClusterR3W2))
    {
        var bound = leaseExpiry + TimeSpan.FromSeconds(5);
        Console.WriteLine($"target: {f.Journal}'s {f.Entities:N0} entities all answering within lease expiry + 5 s ({bound.TotalSeconds:F0} s): {f.AllAnswered.TotalSeconds:F1} s, {(f.AllAnswered <= bound ? "met" : "MISSED")}");
    }

    Console.WriteLine();
}

async Task<RowResult> RunRow(string journal, int entities, int round)
{
    // Ids of their own per row, so no row recovers another's events from the shared database.
    var ids = Enumerable.Range(0, entities).Select(i => $"r{round}-{entities}-{i}").ToArray();
    var directory = Path.Combine(Setting(journal), $"r{round}-{entities}");
    var (node, nodes) = await StartJournal(journal, journal == BenchJournals.SqlPostgres ? Setting(journal) : directory);
    try
    {
        return await Measure(node, journal, entities, ids);
    }
    finally
    {
        await nodes.DisposeAsync();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

async Task<(BenchNode Node, IAsyncDisposable Nodes)> StartJournal(string journal, string setting)
{
    if (BenchJournals.IsCluster(journal))
    {
        var cluster = await ReplicatedCluster.StartAsync(3, i => BenchJournals.For(journal, setting, etcd!.Endpoint, $"node{i}"));
        return (cluster.Writer, cluster);
    }

    var node = await BenchNode.StartAsync(BenchJournals.For(journal, setting));
    return (node, node);
}

async Task<RowResult> Measure(BenchNode node, string journal, int entities, string[] ids)
{
    var driver = node.System.ActorOf(ClosedLoopDriver.Props(node.Region, ids));
    try
    {
        // Every entity's start and (empty) recovery (and with the cluster journal its shard's lease and ledger) come
        // first, then the warm-up proper (the JIT's tier-up, the steady state).
        driver.Tell(new ClosedLoopDriver.Start());
        await driver.Ask<ClosedLoopDriver.EveryEntityAnswered>(new ClosedLoopDriver.AwaitEveryEntity(), TimeSpan.FromMinutes(5));
        await Task.Delay(warmup);
        driver.Tell(new ClosedLoopDriver.BeginMeasuring());
        await Task.Delay(window);
        var measured = await driver.Ask<ClosedLoopDriver.Measured>(new ClosedLoopDriver.EndMeasuring(), TimeSpan.FromMinutes(2));
        if (measured.FirstFailure is { } failure)
        {
            Console.Error.WriteLine($"{journal}: {measured.Failures:N0} persists failed, the first: {failure}");
        }

        return RowResult.From(journal, entities, measured);
    }
    finally
    {
        await driver.GracefulStop(TimeSpan.FromSeconds(10));
    }
}

void PrintTable()
{
    Console.WriteLine();
    Console.WriteLine($"| entities | journal | persists/s | p50 ms | p99 ms | vs {BenchJournals.SqlPostgres} | vs {BenchJournals.Wal} |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
    var medians = results.GroupBy(r => (r.Entities, r.Journal))
        .Select(rows => rows.OrderBy(r => r.PerSecond).ElementAt(rows.Count() / 2))
        .ToList();
    foreach (var row in medians)
    {
        string Ratio(string other) => medians.FirstOrDefault(r => r.Journal == other && r.Entities == row.Entities) is { PerSecond: > 0 } peer
            ? (row.PerSecond / peer.PerSecond).ToString("F2", CultureInfo.InvariantCulture) + "x"
            : "-";
        Console.WriteLine($"| {row.Entities:N0} | {row.Journal} | {row.PerSecond:N0} | {row.P50Ms:F2} | {row.P99Ms:F2} | {Ratio(BenchJournals.SqlPostgres)} | {Ratio(BenchJournals.Wal)} |");
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

string Arg(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

string[] ListArg(string name, string fallback) => Arg(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
