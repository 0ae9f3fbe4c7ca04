using System.Diagnostics;
using WalActors.Format;
using WalActors.Host.Bench.Disk;
using WalActors.Host.Bench.Measurement;
using WalActors.Host.Bench.OpenLoop;
using WalActors.Host.Bench.Recovery;
using WalActors.Host.Bench.Targets;

namespace WalActors.Host.Bench;

/// <summary>Runs every closed-loop scenario against every system in one process, then the open-loop scenarios, then the recovery comparison.</summary>
/// <remarks>
/// Systems run one at a time, each on a fresh directory, in alternating order from one scenario to the next (forward,
/// then backward), so a slow drift of the machine (page cache, another tenant of the VM) does not favour one system.
/// </remarks>
internal static class BenchRunner
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs the benchmark over the systems of <paramref name="catalog"/> that <paramref name="settings"/> selects; <paramref name="progress"/> receives a short status line several times a second.</summary>
    public static async Task<BenchReport> RunAsync(BenchSettings settings, BenchCatalog catalog, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(progress);
        var root = Path.Combine(settings.TempRoot, $"walactors-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var machine = MachineInfo.Describe(root);
            var loadAtStart = MachineInfo.LoadAverage();
            progress("measuring sequential write bandwidth");
            var sequential = SequentialBandwidth.MeasureMegabytesPerSecond(root, settings.SequentialBytes);

            var systems = catalog.Select(settings.Systems.ToHashSet(StringComparer.Ordinal));
            var scenarios = settings.Payloads.SelectMany(payload => settings.Producers.Select(producers => (producers, payload))).ToArray();
            var results = new List<ScenarioResult>();
            var total = scenarios.Length * systems.Count;
            for (var s = 0; s < scenarios.Length; s++)
            {
                var order = s % 2 == 0 ? systems : systems.Reverse().ToArray();
                foreach (var system in order)
                {
                    var (producers, payload) = scenarios[s];
                    var label = $"[{results.Count + 1}/{total}] {system.Name} {producers}p {payload}B";
                    results.Add(await RunScenarioAsync(system, producers, payload, settings, root, label, progress).ConfigureAwait(false));
                }
            }

            IReadOnlyList<OpenLoopResult> openLoop = [];
            IReadOnlyList<double> probes = [];
            var barriers = double.NaN;
            if (OpenLoopRunner.Selected(settings) && systems.Any(s => s.OpenLoop))
            {
                // The raw loop's single-producer rows are barrier-rate measurements too.
                var known = results.Where(r => r.System == SystemNames.Fdatasync && r.Producers == 1).Select(r => 1e6 / r.P50Microseconds).DefaultIfEmpty(double.NaN).Max();
                (openLoop, barriers, probes) = await OpenLoopRunner.RunAsync(settings, systems, root, sequential, known, progress).ConfigureAwait(false);
            }

            var recovery = await RunRecoveryAsync(settings, systems, root, progress).ConfigureAwait(false);
            return new BenchReport(machine, settings, catalog, results, recovery, sequential, openLoop, barriers, probes, loadAtStart, MachineInfo.LoadAverage());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>One row's figures from its latencies and its window's counters.</summary>
    internal static ScenarioResult Result(string system, int producers, int payloadSize, LatencyHistogram latencies, WindowCounters counters) =>
        new(system, producers, payloadSize, latencies.Count, counters.Seconds,
            latencies.PercentileMicroseconds(0.50), latencies.PercentileMicroseconds(0.99), latencies.PercentileMicroseconds(0.999),
            counters.Syncs, counters.AllocatedBytes, counters.CpuSeconds, counters.Storage, counters.BackgroundReadBytes);

    /// <summary>Runs <paramref name="producers"/> closed-loop producers against a fresh instance of <paramref name="system"/>.</summary>
    internal static async Task<ScenarioResult> RunScenarioAsync(
        BenchSystem system, int producers, int payloadSize, BenchSettings settings, string root, string label, Action<string> progress)
    {
        var directory = Path.Combine(root, $"{system.Name}-{producers}-{payloadSize}");
        Directory.CreateDirectory(directory);
        var payload = new byte[payloadSize];
        Random.Shared.NextBytes(payload);
        var recorder = new LoadRecorder(producers);
        try
        {
            var target = system.Create(directory);
            await using (target.ConfigureAwait(false))
            {
                progress($"{label}: opening");
                await target.OpenAsync().ConfigureAwait(false);
                var running = OffSystemThreads(target.RunProducersAsync(recorder, payload));
                progress($"{label}: warming up");
                await Task.WhenAny(running, Task.Delay(settings.Warmup)).ConfigureAwait(false);

                var window = await MeasuredWindow.StartAsync(target).ConfigureAwait(false);
                recorder.StartMeasuring();
                while (window.Elapsed < settings.Duration && !running.IsCompleted)
                {
                    var wait = settings.Duration - window.Elapsed;
                    await Task.WhenAny(running, Task.Delay(wait < ProgressEvery ? wait : ProgressEvery)).ConfigureAwait(false);
                    var live = recorder.LiveCount / window.Elapsed.TotalSeconds;
                    progress($"{label}: {live,10:N0} appends/s  ({window.Elapsed.TotalSeconds:F1}/{settings.Duration.TotalSeconds:F1} s)");
                }

                recorder.StopMeasuring();
                var counters = await window.EndAsync().ConfigureAwait(false);
                recorder.Stop();
                progress($"{label}: stopping");
                await running.ConfigureAwait(false);

                var latencies = recorder.Merge();
                return Result(system.Name, producers, payloadSize, latencies, counters);
            }
        }
        finally
        {
            recorder.Stop();
            Directory.Delete(directory, recursive: true);
        }
    }

    // Producers may finish on a thread the system under test owns (the ideal loop's I/O thread, a peer's callback). The
    // runner must not continue there: disposing the system would then wait for the very thread it is running on.
    internal static async Task OffSystemThreads(Task producers)
    {
        try
        {
            await producers.ConfigureAwait(false);
        }
        finally
        {
            await Task.Yield();
        }
    }

    // Each recovery bench runs once, whichever of the systems that share it were selected.
    private static async Task<IReadOnlyList<RecoveryMeasurement>> RunRecoveryAsync(
        BenchSettings settings, IReadOnlyList<BenchSystem> systems, string root, Action<string> progress)
    {
        const int payload = 128;
        var rows = new List<RecoveryMeasurement>();
        var records = settings.RecoveryBytes / FrameCodec.FrameSize(payload);
        foreach (var bench in systems.Select(s => s.Recovery).OfType<IRecoveryBench>().Distinct())
        {
            var directory = Path.Combine(root, $"recovery-{bench.System}");
            progress($"recovery: writing {records:N0} {payload}-byte records for {bench.System}");
            await bench.BuildAsync(directory, records, payload).ConfigureAwait(false);
            progress($"recovery: opening the {bench.System} log");
            rows.Add(await bench.MeasureAsync(directory).ConfigureAwait(false));
            Directory.Delete(directory, recursive: true);
        }

        return rows;
    }
}
