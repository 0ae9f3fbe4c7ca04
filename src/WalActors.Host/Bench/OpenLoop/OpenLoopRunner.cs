using WalActors.Format;
using WalActors.Host.Bench.Disk;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.OpenLoop;

/// <summary>
/// The open-loop scenarios, the way a journal with thousands of entities loads a log: N producers each with one append
/// in flight, then a pacer offering fixed rates (latency against throughput, up to saturation). Only systems that can
/// take such load run (<see cref="BenchSystem.OpenLoop"/>: not the raw fdatasync loop, which needs a thread per producer).
/// </summary>
internal static class OpenLoopRunner
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DrainPatience = TimeSpan.FromSeconds(60);

    // The most framed bytes the pacer lets wait: half of WalActors' default max-pending-bytes (128 MiB), so a saturated
    // log slows the pacer down instead of answering overloaded (see BenchSettings.MaxInFlight).
    private const long MaxInFlightBytes = 64L * 1024 * 1024;

    public static bool Selected(BenchSettings settings) => settings.OpenProducers.Count > 0 || settings.Rates.Count > 0;

    /// <summary>The most appends the rate pacer lets wait at once, for <paramref name="payload"/>-byte appends.</summary>
    public static long RateInFlightLimit(BenchSettings settings, int payload) =>
        Math.Min(settings.MaxInFlight, MaxInFlightBytes / FrameCodec.FrameSize(payload));

    /// <summary>
    /// Runs every open-loop row, probing the raw barrier rate before, between and after them; each row's bound uses the
    /// best barrier rate seen (the probes' and <paramref name="knownBarriersPerSecond"/>): the neighbours' I/O only ever
    /// slows a barrier down, so the best figure is the closest to what the disk itself allows.
    /// </summary>
    public static async Task<(IReadOnlyList<OpenLoopResult> Rows, double BarriersPerSecond, IReadOnlyList<double> Probes)> RunAsync(
        BenchSettings settings, IReadOnlyList<BenchSystem> selected, string root, double sequentialMegabytesPerSecond, double knownBarriersPerSecond, Action<string> progress)
    {
        var probes = new List<double>();
        void Probe()
        {
            progress("measuring the raw barrier rate");
            probes.Add(BarrierRate.MeasurePerSecond(root, settings.BarrierProbe));
        }

        Probe();
        var systems = selected.Where(s => s.OpenLoop).ToArray();
        var payload = settings.OpenPayload;
        var rows = new List<OpenLoopResult>();
        var total = (settings.OpenProducers.Count + settings.Rates.Count) * systems.Length;
        var step = 0;
        foreach (var producers in settings.OpenProducers)
        {
            foreach (var system in step / Math.Max(1, systems.Length) % 2 == 0 ? systems : systems.Reverse())
            {
                var label = $"[open {++step}/{total}] {system.Name} {producers:N0} in flight {payload}B";
                var measured = await BenchRunner.RunScenarioAsync(system, producers, payload, settings, root, label, progress).ConfigureAwait(false);
                rows.Add(new OpenLoopResult(OpenLoopResult.InFlight, double.NaN, measured, double.NaN, 0, new PhysicalBound(double.NaN, double.NaN)));
            }
        }

        Probe();
        var limit = RateInFlightLimit(settings, payload);
        foreach (var rate in settings.Rates)
        {
            foreach (var system in step / Math.Max(1, systems.Length) % 2 == 0 ? systems : systems.Reverse())
            {
                var label = $"[open {++step}/{total}] {system.Name} {rate:N0}/s offered {payload}B";
                rows.Add(await RunRateAsync(system, rate, limit, payload, settings, root, label, progress).ConfigureAwait(false));
            }
        }

        Probe();
        var barriers = probes.Append(knownBarriersPerSecond).Where(double.IsFinite).Max();
        var bounded = rows.Select(row => row with
        {
            Bound = PhysicalBound.For(sequentialMegabytesPerSecond, barriers, payload, row.Mode == OpenLoopResult.InFlight ? row.Measured.Producers : limit),
        }).ToArray();
        return (bounded, barriers, probes);
    }

    private static async Task<OpenLoopResult> RunRateAsync(
        BenchSystem system, int rate, long limit, int payloadSize, BenchSettings settings, string root, string label, Action<string> progress)
    {
        var directory = Path.Combine(root, $"{system.Name}-rate-{rate}-{payloadSize}");
        Directory.CreateDirectory(directory);
        var payload = new byte[payloadSize];
        Random.Shared.NextBytes(payload);
        var recorder = new RateRecorder();
        try
        {
            var target = system.Create(directory);
            await using (target.ConfigureAwait(false))
            {
                var open = target as IOpenLoopTarget ?? throw new InvalidOperationException($"{system.Name} cannot be driven open-loop.");
                progress($"{label}: opening");
                await target.OpenAsync().ConfigureAwait(false);
                var pacer = RatePacer.Start(open, payload, rate, limit, recorder);
                progress($"{label}: warming up");
                await Task.Delay(settings.Warmup).ConfigureAwait(false);

                var window = await MeasuredWindow.StartAsync(target).ConfigureAwait(false);
                recorder.StartMeasuring();
                while (window.Elapsed < settings.Duration)
                {
                    var wait = settings.Duration - window.Elapsed;
                    await Task.Delay(wait < ProgressEvery ? wait : ProgressEvery).ConfigureAwait(false);
                    progress($"{label}: {recorder.LiveCount / window.Elapsed.TotalSeconds,10:N0} appends/s, {recorder.InFlight,7:N0} in flight  ({window.Elapsed.TotalSeconds:F1}/{settings.Duration.TotalSeconds:F1} s)");
                }

                recorder.StopMeasuring();
                var counters = await window.EndAsync().ConfigureAwait(false);
                recorder.Stop();
                progress($"{label}: draining {recorder.InFlight:N0} in flight");
                pacer.Join();
                await DrainAsync(recorder).ConfigureAwait(false);

                var measured = BenchRunner.Result(system.Name, (int)limit, payloadSize, recorder.Latencies, counters);
                return new OpenLoopResult(OpenLoopResult.Rate, rate, measured, recorder.SendLag.PercentileMicroseconds(0.50), recorder.FailedCount,
                    new PhysicalBound(double.NaN, double.NaN), recorder.FirstFailure is { } failure ? $"{failure.GetType().Name}: {failure.Message}" : null);
            }
        }
        finally
        {
            recorder.Stop();
            Directory.Delete(directory, recursive: true);
        }
    }

    // Every offered append is answered before the system is closed, so closing measures nothing and fails nothing.
    private static async Task DrainAsync(RateRecorder recorder)
    {
        var deadline = DateTime.UtcNow + DrainPatience;
        while (recorder.InFlight > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{recorder.InFlight:N0} offered appends were still unanswered {DrainPatience.TotalSeconds:N0} s after the pacer stopped.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
