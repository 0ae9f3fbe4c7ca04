using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using WalActors.Persistence;

namespace WalActors.Persistence.Bench;

/// <summary>
/// Issue 13's compaction scenario: fill a journal, delete 90% of every id's events (as after a snapshot), then measure
/// the appends of 100 actors x 1,000 Persist without compaction and while a compaction pass runs, and the disk before and
/// after. `--compaction-events N --compaction-ids M --compaction-segment-mib S` (defaults 10,000,000, 10,000 and 64),
/// `--compaction-rate-mib R` the pass's rate limit in MiB/s (0: none; the journal's default when not given). Each
/// phase of appends reports what the process spent on it: CPU, the collector's pauses, barriers. BENCH_COMPACTION_NICE
/// sets the pass thread's nice value (the journal's default, 19, when not given). Each phase is
/// BENCH_COMPACTION_ROUNDS (default 5) rounds of 100 new actors one after the other: a single round lasts under a
/// second here, and its figure swung from 0.5x to 0.95x between identical runs. The rounds run before, during and after
/// the pass, each phase once the process is idle.
/// </summary>
public static class CompactionBench
{
    public static async Task RunAsync(string root, int events, int ids, int segmentMiB, bool json, int rateMiB)
    {
        var directory = Path.Combine(root, "compaction");
        var journalDirectory = Path.Combine(directory, "journal");
        // A fill of thousands of actors' PersistAll at once can keep one call waiting longer than Akka's default 10 s, and
        // their start (each asks for its highest sequence number) longer than the 30 s recovery timeout on a loaded machine.
        var settings = Akka.Configuration.ConfigurationFactory.ParseString($$"""
            walactors.persistence.journal {
              compaction.enabled = off
              segment-size = {{segmentMiB}} MiB
              circuit-breaker.call-timeout = 300s
              recovery-event-timeout = 300s
              {{(rateMiB >= 0 ? $"compaction.rate-bytes-per-sec = {rateMiB} MiB" : "")}}
              {{(Environment.GetEnvironmentVariable("BENCH_COMPACTION_NICE") is { } nice ? $"compaction-thread-nice = {nice}" : "")}}
            }
            """);
        var system = ActorSystem.Create("bench", settings.WithFallback(Journals.For(Journals.Wal, directory, json)));
        try
        {
            var fill = Stopwatch.StartNew();
            await FillAsync(system, events, ids);
            Console.WriteLine($"compaction: filled {events:N0} events over {ids:N0} ids ({segmentMiB} MiB segments) in {fill.Elapsed.TotalSeconds:F1} s; " +
                              $"{Bytes(journalDirectory) / 1048576.0:N0} MiB of segment files");

            var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
            var perId = events / ids;
            var deletes = Enumerable.Range(0, ids).Select(id => journal.Ask<object>(
                (IActorRef r) => new DeleteMessagesTo($"c-{id}", perId * 9 / 10, r), TimeSpan.FromMinutes(5), CancellationToken.None));
            await Task.WhenAll(deletes);

            // The deletes leave the index's checkpoints and RocksDB's own work behind them, and a pass leaves the recovery
            // point's rescan: each phase of appends starts once the process is idle, and the pass is judged against the
            // mean of the phases before and after it, so a drift of the machine between them does not pass for its cost.
            var before = Bytes(journalDirectory);
            var closedBefore = ClosedBytes(journalDirectory);
            var endBefore = await DurableEndAsync(system);
            var usedBefore = UsedBytes(journalDirectory, endBefore);
            Console.WriteLine($"compaction: idle after the deletes in {await IdleAsync():F1} s");
            var quietCost = await PhaseCost.StartAsync(system);
            var (quiet, quietRounds) = await PersistRoundsAsync(system, "quiet");
            var quietSpent = await quietCost.EndAsync();
            var clock = Stopwatch.StartNew();
            var duringCost = await PhaseCost.StartAsync(system);
            var compaction = journal.Ask<LogCompacted>(CompactLog.Instance, TimeSpan.FromHours(1));
            var (during, duringRounds) = await PersistRoundsAsync(system, "during");
            var appendsEnded = clock.Elapsed;
            var duringSpent = await duringCost.EndAsync();
            var compacted = await compaction;
            var took = clock.Elapsed;
            var after = Bytes(journalDirectory);
            var endAfter = await DurableEndAsync(system);
            var appended = endAfter - endBefore;
            var usedAfter = UsedBytes(journalDirectory, endAfter);
            Console.WriteLine($"compaction: idle after the pass in {await IdleAsync():F1} s");
            var afterCost = await PhaseCost.StartAsync(system);
            var (again, againRounds) = await PersistRoundsAsync(system, "after");
            var againSpent = await afterCost.EndAsync();
            var without = (quiet + again) / 2;
            Console.WriteLine($"compaction: {compacted.SegmentsRewritten} segments rewritten in {took.TotalSeconds:F1} s, {compacted.RecordsKept:N0} records kept, {compacted.RecordsDropped:N0} dropped");
            Console.WriteLine($"compaction: segment files {before / 1048576.0:N0} MiB -> {after / 1048576.0:N0} MiB ({100.0 * after / before:F1}%), " +
                              $"closed segments {closedBefore / 1048576.0:N0} MiB -> {ClosedBytes(journalDirectory) / 1048576.0:N0} MiB; " +
                              $"in use (segments up to the durable end, not those created ahead) {usedBefore / 1048576.0:N0} MiB -> {usedAfter / 1048576.0:N0} MiB, " +
                              $"of which {appended / 1048576.0:N0} MiB appended since the deletes: the filled journal takes {100.0 * (usedAfter - appended) / usedBefore:F1}% of what it took");
            Console.WriteLine($"compaction: {Rounds} rounds of 100 actors x 1,000 Persist: {quiet:N0} events/s before the pass, {during:N0} during it, {again:N0} after it: " +
                              $"{during / without:F2}x the mean without a pass" + (took > appendsEnded ? "" : " (the pass ended before the appends did)"));
            Console.WriteLine($"compaction: rounds (events/s) before {quietRounds}, during {duringRounds}, after {againRounds}");
            Console.WriteLine($"compaction: appends before the pass: {quietSpent}");
            Console.WriteLine($"compaction: appends during the pass: {duringSpent}");
            Console.WriteLine($"compaction: appends after the pass: {againSpent}");
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task FillAsync(ActorSystem system, int events, int ids)
    {
        var perId = events / ids;
        var done = new Countdown(ids);
        var actors = Enumerable.Range(0, ids).Select(id => system.ActorOf(BenchActor.Props($"c-{id}", perId, done))).ToList();
        var batch = Math.Min(1000, perId);
        var payloads = Enumerable.Range(0, batch).Select(i => $"event-{i:D6}").ToArray();
        for (var sent = 0; sent < perId; sent += batch)
        {
            foreach (var actor in actors)
            {
                actor.Tell(new BenchActor.Fill(payloads));
            }
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
        await Task.WhenAll(actors.Select(a => a.GracefulStop(TimeSpan.FromSeconds(30))));
    }

    private static int Rounds { get; } = int.Parse(Environment.GetEnvironmentVariable("BENCH_COMPACTION_ROUNDS") ?? "5", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(double Rate, string Rounds)> PersistRoundsAsync(ActorSystem system, string prefix)
    {
        var clock = Stopwatch.StartNew();
        var rates = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            rates.Add(await PersistAsync(system, $"{prefix}-{round}"));
        }

        return (Rounds * 100_000 / clock.Elapsed.TotalSeconds, string.Join(" ", rates.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>Waits until the process used under a tenth of a core over half a second (at most two minutes); returns the seconds waited.</summary>
    private static async Task<double> IdleAsync()
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.GetCurrentProcess();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            await Task.Delay(500);
            process.Refresh();
            if ((process.TotalProcessorTime - cpu).TotalSeconds < 0.05)
            {
                break;
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> PersistAsync(ActorSystem system, string prefix)
    {
        var done = new Countdown(100);
        var actors = Enumerable.Range(0, 100).Select(a => system.ActorOf(BenchActor.Props($"{prefix}-{a}", 1000, done))).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var actor in actors)
        {
            actor.Tell(BenchActor.Next.Instance);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        var rate = 100_000 / clock.Elapsed.TotalSeconds;
        await Task.WhenAll(actors.Select(a => a.GracefulStop(TimeSpan.FromSeconds(30))));
        return rate;
    }

    private static async Task<long> DurableEndAsync(ActorSystem system) => (await StatusAsync(system)).DurableEnd.Value;

    private static Task<WalStatus> StatusAsync(ActorSystem system) =>
        system.ActorSelection("/user/walactors-journal-walactors.persistence.journal").Ask<WalStatus>(GetStatus.Instance, TimeSpan.FromSeconds(30));

    /// <summary>What the process spent over one phase: CPU, the collector's pauses and collections, the log's barriers.</summary>
    private sealed class PhaseCost
    {
        private readonly ActorSystem _system;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
        private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        private readonly WalCounters _counters;

        private PhaseCost(ActorSystem system, WalCounters counters)
        {
            _system = system;
            _counters = counters;
        }

        public static async Task<PhaseCost> StartAsync(ActorSystem system) => new(system, (await StatusAsync(system)).Counters);

        public async Task<string> EndAsync()
        {
            var wall = _clock.Elapsed.TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;
            var paused = (GC.GetTotalPauseDuration() - _paused).TotalMilliseconds;
            var counters = (await StatusAsync(_system)).Counters;
            var barriers = counters.Barriers - _counters.Barriers;
            return $"{wall:F2} s, process CPU {cpu:F2} s ({cpu / wall:F2} cores), GC paused {paused:N0} ms " +
                   $"(gen0/1/2 {GC.CollectionCount(0) - _collections[0]}/{GC.CollectionCount(1) - _collections[1]}/{GC.CollectionCount(2) - _collections[2]}), " +
                   $"{barriers:N0} barriers ({barriers / wall:N0}/s, {(double)(counters.Appends - _counters.Appends) / Math.Max(1, barriers):F1} appends each)";
        }
    }

    private static long Bytes(string directory) => Directory.GetFiles(directory).Where(f => f.EndsWith("seg", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);

    // The bytes the log's records take: whole segment files below the durable end, of the one holding it only what was
    // written; segments created ahead of the writes are room, not use, and where the appends cross into a new file
    // depends on how much a measurement appended.
    private static long UsedBytes(string directory, long durableEnd) =>
        Directory.GetFiles(directory).Where(f => f.EndsWith("seg", StringComparison.Ordinal)).Sum(f =>
        {
            var baseOffset = long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture);
            var size = new FileInfo(f).Length;
            return baseOffset + size <= durableEnd ? size : Math.Max(0, durableEnd - baseOffset);
        });

    // Every segment file but the newest two (the one being written and the one created ahead of it).
    private static long ClosedBytes(string directory) =>
        Directory.GetFiles(directory).Where(f => f.EndsWith("seg", StringComparison.Ordinal)).Order().SkipLast(2).Sum(f => new FileInfo(f).Length);
}
