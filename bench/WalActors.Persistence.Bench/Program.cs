using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using WalActors;
using WalActors.Persistence.Bench;

// The persistence benchmark: the in-memory journal (the ceiling of the persistence pipeline), the WalActors journal,
// and Akka.Persistence.Sql on SQLite, side by side in one run, plus the WalActors journal's start-up time.
// Events are short strings; both durable journals serialize them as UTF-8 with a tiny string serializer, or with
// Akka's default JSON serializer under --json.
//   dotnet run -c Release --project bench/WalActors.Persistence.Bench -- [--skip-sqlite] [--journal NAME] [--json] [--startup-events N] [--only-startup]
//     [--compaction] [--only-compaction] [--compaction-events N] [--compaction-ids M] [--compaction-segment-mib S] [--compaction-rate-mib R] (0: unpaced)
//     [--storm N[,N...]] (entities recovering at once) [--replay-one M] (one id's 1,000 events among M interleaved ids)
//     [--scale-startup N M [--startup-dir DIR]] (start-up and RSS over N events of M ids, after a stop and after a kill)
//     [--warmup-events N] (N more events by 100 actors before the measured scenarios, for every journal)
//   ... -- --only-projection: a projection's lag and commit frames while 100 actors persist 1,000 events each
var skipSqlite = args.Contains("--skip-sqlite");
var json = args.Contains("--json");
var onlyStartup = args.Contains("--only-startup");
var startupEvents = ArgValue("--startup-events", 1_000_000);
// Events persisted before the measured scenarios (100 actors), on top of the 10 x 100 warm-up, so both journals are
// measured with their code compiled at its final tier and the thread pool grown: 0 measures them nearly cold.
var warmupEvents = ArgValue("--warmup-events", 0);
var root = Path.Combine(Path.GetTempPath(), "walactors-persistence-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
var results = new List<(string Journal, string Scenario, long Events, TimeSpan Time)>();
try
{
    if (args.Contains("--compaction") || args.Contains("--only-compaction"))
    {
        await CompactionBench.RunAsync(
            root, ArgValue("--compaction-events", 10_000_000), ArgValue("--compaction-ids", 10_000), ArgValue("--compaction-segment-mib", 64), json,
            ArgValue("--compaction-rate-mib", -1));
        if (args.Contains("--only-compaction"))
        {
            return;
        }
    }

    if (args.Contains("--startup-child"))
    {
        await StartupBench.ChildAsync(args, json);
        return;
    }

    if (Array.IndexOf(args, "--scale-startup") is var scale and >= 0)
    {
        var keep = Array.IndexOf(args, "--startup-dir") is var dir and >= 0 ? args[dir + 1] : Path.Combine(root, "scale-startup");
        await StartupBench.RunAsync(keep, int.Parse(args[scale + 1], CultureInfo.InvariantCulture), int.Parse(args[scale + 2], CultureInfo.InvariantCulture), json);
        return;
    }

    if (Array.IndexOf(args, "--replay-one") is var replayOne and >= 0)
    {
        await ReplayOneBench.RunAsync(root, int.Parse(args[replayOne + 1], CultureInfo.InvariantCulture), json);
        return;
    }

    if (Array.IndexOf(args, "--storm") is var storm and >= 0)
    {
        foreach (var entities in args[storm + 1].Split(','))
        {
            await StormBench.RunAsync(root, int.Parse(entities, CultureInfo.InvariantCulture), json,
                Array.IndexOf(args, "--journal") is var named and >= 0 ? args[named + 1] : Journals.Wal);
        }

        return;
    }

    if (args.Contains("--log-probe"))
    {
        await LogProbe.RunAsync(root);
    }

    if (args.Contains("--only-projection"))
    {
        await ProjectionBench.RunAsync(root, json, PersistMany);
        return;
    }

    if (!onlyStartup)
    {
        var journals = new List<string> { Journals.InMemory, Journals.Wal };
        if (!skipSqlite)
        {
            journals.Add(Journals.Sqlite);
        }

        if (Array.IndexOf(args, "--journal") is var only and >= 0)
        {
            journals = [args[only + 1]];
        }

        foreach (var journal in journals)
        {
            await RunScenarios(journal);
        }

        PrintTable();
    }

    if (startupEvents > 0)
    {
        await MeasureStartup(startupEvents);
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

async Task RunScenarios(string journal)
{
    var directory = Path.Combine(root, journal);
    Directory.CreateDirectory(directory);
    var system = ActorSystem.Create("bench", Journals.For(journal, directory, json));
    try
    {
        await PersistMany(system, 10, 100, "warmup");
        if (warmupEvents >= 100)
        {
            await PersistMany(system, 100, warmupEvents / 100, "warmup-100");
        }
        Console.WriteLine($"  {await LogCounters(system, journal)}");
        Record(journal, "100 actors x 1,000 Persist", 100_000, await PersistMany(system, 100, 1_000, "many"));
        Console.WriteLine($"  {await LogCounters(system, journal)}");
        Record(journal, "1 actor x 10,000 Persist", 10_000, await PersistMany(system, 1, 10_000, "one"));
        Console.WriteLine($"  {await LogCounters(system, journal)}");
        await Fill(system, "recovered", 100_000);
        await Recover(system, "recovered", 10_000); // warm-up
        Record(journal, "recovery of 100,000 events", 100_000, await Recover(system, "recovered", 100_000));
    }
    finally
    {
        await system.Terminate();
    }

    if (journal == Journals.Wal)
    {
        // A cold start: a new system over the same log rebuilds the index, then the actor replays.
        var restarted = ActorSystem.Create("bench", Journals.For(journal, directory, json));
        try
        {
            Record(journal, "cold start + recovery of 100,000", 100_000, await Recover(restarted, "recovered", 100_000));
        }
        finally
        {
            await restarted.Terminate();
        }
    }
}

async Task<TimeSpan> PersistMany(ActorSystem system, int actors, int eachPersists, string prefix)
{
    var done = new Countdown(actors);
    var refs = Enumerable.Range(0, actors).Select(a => system.ActorOf(BenchActor.Props($"{prefix}-{a}", eachPersists, done))).ToList();
    using var barrierTimes = new BarrierTimes();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: false);
    var stopwatch = Stopwatch.StartNew();
    foreach (var actor in refs)
    {
        actor.Tell(BenchActor.Next.Instance);
    }

    await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
    stopwatch.Stop();
    var events = (double)actors * eachPersists;
    Console.WriteLine($"  {prefix}: {actors} x {eachPersists:N0} in {stopwatch.Elapsed.TotalSeconds:F2} s, " +
                      $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / events:F1} us of process CPU and " +
                      $"{(GC.GetTotalAllocatedBytes(precise: false) - allocated) / events:N0} bytes allocated per event" +
                      (barrierTimes.Read() is ({ } count and > 0, var inBarriers)
                          ? $"; {count:N0} barriers of {inBarriers.TotalMicroseconds / count:F0} us on average, {inBarriers / stopwatch.Elapsed:P0} of the time"
                          : ""));
    await Task.WhenAll(refs.Select(r => r.GracefulStop(TimeSpan.FromSeconds(30))));
    return stopwatch.Elapsed;
}

async Task Fill(ActorSystem system, string persistenceId, int events)
{
    var done = new Countdown(1);
    var actor = system.ActorOf(BenchActor.Props(persistenceId, events, done));
    for (var batch = 0; batch < events / 1000; batch++)
    {
        actor.Tell(new BenchActor.Fill(Enumerable.Range(batch * 1000, 1000).Select(i => $"event-{i:D6}").ToArray()));
    }

    await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
    await actor.GracefulStop(TimeSpan.FromSeconds(30));
}

async Task<TimeSpan> Recover(ActorSystem system, string persistenceId, long expected)
{
    var done = new Countdown(1);
    var stopwatch = Stopwatch.StartNew();
    var actor = system.ActorOf(BenchActor.Props(persistenceId, 0, done));
    var replayed = await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
    stopwatch.Stop();
    await actor.GracefulStop(TimeSpan.FromSeconds(30));
    if (replayed < expected)
    {
        throw new InvalidOperationException($"Recovered {replayed} events, expected at least {expected}.");
    }

    return stopwatch.Elapsed;
}

async Task MeasureStartup(int events)
{
    var directory = Path.Combine(root, "startup");
    var system = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
    const int actors = 100;
    try
    {
        var done = new Countdown(actors);
        var refs = Enumerable.Range(0, actors).Select(a => system.ActorOf(BenchActor.Props($"startup-{a}", events / actors, done))).ToList();
        var batch = Enumerable.Range(0, 1000).Select(i => $"event-{i:D6}").ToArray();
        for (var b = 0; b < events / actors / 1000; b++)
        {
            foreach (var actor in refs)
            {
                actor.Tell(new BenchActor.Fill(batch));
            }
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
    }
    finally
    {
        await system.Terminate();
    }

    var bytes = Directory.GetFiles(Path.Combine(directory, "journal")).Sum(f => new FileInfo(f).Length);
    var stopwatch = Stopwatch.StartNew();
    var restarted = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
    try
    {
        // Recovery of an id the log does not hold completes only once the index is rebuilt.
        var ready = new Countdown(1);
        restarted.ActorOf(BenchActor.Props("nobody", 0, ready));
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(10));
        stopwatch.Stop();
        Console.WriteLine();
        Console.WriteLine($"start-up (log recovery + index rebuild) over {events:N0} events ({bytes / (1024.0 * 1024):F0} MiB of segments): " +
                          $"{stopwatch.Elapsed.TotalSeconds:F2} s ({events / stopwatch.Elapsed.TotalSeconds:N0} events/s)");
    }
    finally
    {
        await restarted.Terminate();
    }
}

async Task<string> LogCounters(ActorSystem system, string journal)
{
    if (journal != Journals.Wal)
    {
        return string.Empty;
    }

    var status = await system.ActorSelection("/user/walactors-journal-walactors.persistence.journal").Ask<WalStatus>(GetStatus.Instance, TimeSpan.FromSeconds(10));
    return $"[log: {status.Counters.Appends:N0} records, {status.Counters.Writes:N0} writes, {status.Counters.Barriers:N0} barriers, {status.Counters.MeanBarrierBatch:F1} records/barrier]";
}

void Record(string journal, string scenario, long events, TimeSpan time)
{
    results.Add((journal, scenario, events, time));
    Console.WriteLine($"  {journal,-12} {scenario,-36} {events / time.TotalSeconds,12:N0} events/s  ({time.TotalSeconds:F2} s)");
}

void PrintTable()
{
    Console.WriteLine();
    Console.WriteLine($"{"scenario",-36} {"in-memory",12} {"walactors",12} {"sql-sqlite",12} {"wal/in-mem",11} {"wal/sqlite",11}");
    foreach (var scenario in results.Select(r => r.Scenario).Distinct())
    {
        double? Rate(string journal) => results.Where(r => r.Journal == journal && r.Scenario == scenario).Select(r => (double?)(r.Events / r.Time.TotalSeconds)).FirstOrDefault();
        string Cell(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        var (memory, wal, sqlite) = (Rate(Journals.InMemory), Rate(Journals.Wal), Rate(Journals.Sqlite));
        Console.WriteLine($"{scenario,-36} {Cell(memory, "N0"),12} {Cell(wal, "N0"),12} {Cell(sqlite, "N0"),12} {Cell(wal / memory, "F2"),11} {Cell(wal / sqlite, "F1"),11}");
    }
}

int ArgValue(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
