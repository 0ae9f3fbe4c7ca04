using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Persistence.Bench;

/// <summary>
/// Issue 13's start-up at scale: a journal of N events over M persistence ids (10 M over 10,000 in the issue), then, each
/// in a fresh process, the time from start until the first entity has recovered and the process's RSS then: after a
/// graceful stop (with the persisted index and without it), and after a kill of a process that was writing.
/// `--scale-startup N M [--startup-dir DIR]` (the directory is kept, and reused when it already holds a journal).
/// </summary>
public static class StartupBench
{
    private const int EventsPerWrite = 1000;
    private const int IdsPerWave = 100;
    private static int Ids = 10_000;

    public static async Task RunAsync(string directory, int events, int ids, bool json)
    {
        Ids = ids;
        if (!Directory.Exists(Path.Combine(directory, "journal")))
        {
            await FillAsync(directory, events, ids, json);
        }

        var bytes = Directory.GetFiles(Path.Combine(directory, "journal")).Sum(f => new FileInfo(f).Length);
        var indexBytes = Directory.Exists(Path.Combine(directory, "journal", "index"))
            ? Directory.GetFiles(Path.Combine(directory, "journal", "index")).Sum(f => new FileInfo(f).Length)
            : 0;
        Console.WriteLine($"scale start-up: {events:N0} events over {ids:N0} ids; segments {bytes / 1048576.0:N0} MiB, index {indexBytes / 1048576.0:N0} MiB");
        Console.WriteLine($"  after a graceful stop, persisted index:  {await MeasureAsync(directory, "on", json)}");
        Console.WriteLine($"  again:                                   {await MeasureAsync(directory, "on", json)}");
        Console.WriteLine($"  after a graceful stop, index in memory:  {await MeasureAsync(directory, "off", json)}");
        var written = await WriteThenKillAsync(directory, json);
        Console.WriteLine($"  after a kill ({written}):  {await MeasureAsync(directory, "on", json)}");
    }

    /// <summary>The child's side: <c>--startup-child measure DIR INDEX IDS</c> or <c>--startup-child write DIR</c>.</summary>
    public static async Task ChildAsync(string[] args, bool json)
    {
        var at = Array.IndexOf(args, "--startup-child");
        var (mode, directory) = (args[at + 1], args[at + 2]);
        if (mode == "measure")
        {
            Environment.SetEnvironmentVariable("BENCH_INDEX", args[at + 3]);
            var clock = Stopwatch.StartNew();
            var system = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
            var ready = new Countdown(1);
            system.ActorOf(BenchActor.Props("startup-0", 0, ready));
            var replayed = await ready.Task.WaitAsync(TimeSpan.FromMinutes(10));
            var took = clock.Elapsed;
            var rss = Process.GetCurrentProcess().WorkingSet64;
            var store = JournalStores.Get(system).For(WalPersistence.JournalPluginId);
            var startup = store.IndexStartup;

            // Then one entity at a time, warm: how long one id's replay takes among all the others, and what it reads.
            var ids = int.Parse(args[at + 4], System.Globalization.CultureInfo.InvariantCulture);
            var random = new Random(7);
            var times = new List<double>();
            long events = 0, read = store.BytesRead;
            for (var r = 0; r < 200; r++)
            {
                var one = new Countdown(1);
                var replay = Stopwatch.StartNew();
                system.ActorOf(BenchActor.Props($"startup-{random.Next(ids)}", 0, one));
                events += await one.Task.WaitAsync(TimeSpan.FromMinutes(1));
                times.Add(replay.Elapsed.TotalMilliseconds);
            }

            // After a rebuild the events are in memory until the checkpoints that follow write them away: wait for
            // that, so the next start finds a whole index, and say how long it took.
            var drain = Stopwatch.StartNew();
            while (store.Index.EventsInMemory > 0 && drain.Elapsed < TimeSpan.FromMinutes(10) && store.IndexSettings.Persisted)
            {
                await Task.Delay(200);
            }

            var drained = store.IndexSettings.Persisted && startup.StartsWith("rebuilt", StringComparison.Ordinal)
                ? FormattableString.Invariant($"; the rebuilt index's checkpoints wrote it to disk in {drain.Elapsed.TotalSeconds + took.TotalSeconds:F1} s from start")
                : "";
            times.Sort();
            Console.WriteLine(FormattableString.Invariant(
                $"first entity ({replayed:N0} events) recovered {took.TotalMilliseconds:N0} ms after start; RSS {rss / 1048576.0:N0} MiB; index {startup}; ") +
                FormattableString.Invariant(
                $"then one id's replay ({events / times.Count:N0} events) p50 {times[times.Count / 2]:F1} ms, p99 {times[(int)(times.Count * 0.99)]:F1} ms, {(store.BytesRead - read) / (double)events:F0} bytes read per event{drained}"));
            await system.Terminate();
            return;
        }

        // write: a few hundred thousand more events, then wait to be killed (no last checkpoint, no close marker).
        var writer = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
        var done = new Countdown(100);
        var payloads = Enumerable.Range(0, EventsPerWrite).Select(i => $"late-{i:D6}").ToArray();
        var actors = Enumerable.Range(0, 100).Select(a => writer.ActorOf(BenchActor.Props($"late-{a}", 2 * EventsPerWrite, done))).ToList();
        foreach (var actor in actors)
        {
            actor.Tell(new BenchActor.Fill(payloads));
            actor.Tell(new BenchActor.Fill(payloads));
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        Console.WriteLine("written 200,000 events after the last checkpoint's writes");
        await Task.Delay(Timeout.Infinite);
    }

    private static async Task FillAsync(string directory, int events, int ids, bool json)
    {
        var clock = Stopwatch.StartNew();

        // The fill is set-up, not what is measured: on a machine shared with other work a wave can take longer than
        // Akka's default 10 s call timeout, and a tripped breaker would leave the journal short of events.
        var system = ActorSystem.Create("bench", Akka.Configuration.ConfigurationFactory.ParseString("walactors.persistence.journal.circuit-breaker.call-timeout = 300s")
            .WithFallback(Journals.For(Journals.Wal, directory, json)));
        try
        {
            var perId = events / ids;
            var payloads = Enumerable.Range(0, EventsPerWrite).Select(i => $"event-{i:D6}").ToArray();

            // Interleaved as a journal's log has them: every id writes a thousand, then every id the next thousand; in waves
            // of 100,000 events, which the journal acknowledges well inside Akka's 10 s circuit-breaker call timeout.
            for (var written = 0; written < perId; written += EventsPerWrite)
            {
                for (var first = 0; first < ids; first += IdsPerWave)
                {
                    var wave = Math.Min(IdsPerWave, ids - first);
                    var done = new Countdown(wave);
                    var actors = Enumerable.Range(first, wave).Select(i => system.ActorOf(BenchActor.Props($"startup-{i}", EventsPerWrite, done))).ToList();
                    foreach (var actor in actors)
                    {
                        actor.Tell(new BenchActor.Fill(payloads));
                    }

                    await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
                    await Task.WhenAll(actors.Select(a => a.GracefulStop(TimeSpan.FromSeconds(30))));
                }
            }
        }
        finally
        {
            await system.Terminate();
        }

        Console.WriteLine($"filled {events:N0} events over {ids:N0} ids in {clock.Elapsed.TotalSeconds:N0} s");
    }

    private static async Task<string> MeasureAsync(string directory, string index, bool json)
    {
        var (exit, output) = await RunChildAsync(["measure", directory, index, Ids.ToString(System.Globalization.CultureInfo.InvariantCulture)], json, kill: false);
        return exit == 0 ? output.Trim() : $"the measuring process exited {exit}: {output}";
    }

    private static async Task<string> WriteThenKillAsync(string directory, bool json)
    {
        var (_, output) = await RunChildAsync(["write", directory], json, kill: true);
        return output.Trim();
    }

    private static async Task<(int Exit, string Output)> RunChildAsync(string[] arguments, bool json, bool kill)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(StartupBench).Assembly.Location);
        start.ArgumentList.Add("--startup-child");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (json)
        {
            start.ArgumentList.Add("--json");
        }

        using var process = Process.Start(start)!;
        if (kill)
        {
            var line = await process.StandardOutput.ReadLineAsync() ?? await process.StandardError.ReadToEndAsync();
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (0, line);
        }

        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, process.ExitCode == 0 ? output : output + errors);
    }
}
