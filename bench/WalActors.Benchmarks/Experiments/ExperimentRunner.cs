using System.Diagnostics;
using WalActors.Benchmarks.Experiments.Native;
using WalActors.Benchmarks.Experiments.Paths;
using WalActors.Host.Bench;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Benchmarks.Experiments;

/// <summary>
/// Runs the experiments one row at a time, single-threaded, each on a fresh file in a temporary directory: prepare the
/// file (timed, with its CPU and storage traffic), then append for the window, timing every append.
/// </summary>
internal static class ExperimentRunner
{
    public static ExperimentReport Run(ExperimentSettings settings, Action<string> progress)
    {
        var root = Path.Combine(settings.TempRoot, $"walactors-experiments-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var loadAtStart = MachineInfo.LoadAverage();
        try
        {
            var machine = MachineInfo.Describe(root);
            using var ring = IoUring.TryCreate(out var unavailable);
            if (ring is null)
            {
                progress($"io_uring rows skipped: {unavailable}");
            }

            WarmUp(root, ring);
            var rows = new List<(Experiment Experiment, int Size)>();
            if (Runs(settings, ExperimentCatalog.WritePath))
            {
                rows.AddRange(settings.WritePathSizes.SelectMany(size => ExperimentCatalog.WritePaths.Select(e => (e, size))));
            }

            if (Runs(settings, ExperimentCatalog.Preparation))
            {
                rows.AddRange(settings.PreparationSizes.SelectMany(size => ExperimentCatalog.Preparations.Select(e => (e, size))));
            }

            var results = new List<ExperimentResult>();
            foreach (var (experiment, size) in rows)
            {
                progress($"[{results.Count + 1}/{rows.Count}] {experiment.Method} on {experiment.Preparation.Name}, {size:N0} B");
                results.Add(RunOne(experiment, size, settings, root, ring, unavailable));
            }

            return new ExperimentReport(machine, Environment.OSVersion.VersionString, loadAtStart, MachineInfo.LoadAverage(), unavailable ?? "available", settings, results);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool Runs(ExperimentSettings settings, string group) => settings.Groups.Count == 0 || settings.Groups.Contains(group);

    private static ExperimentResult RunOne(Experiment experiment, int size, ExperimentSettings settings, string root, IoUring? ring, string? unavailable)
    {
        if (experiment.NeedsRing && ring is null)
        {
            return ExperimentResult.Skip(experiment, size, unavailable ?? "io_uring unavailable");
        }

        var path = Path.Combine(root, "experiment.dat");
        try
        {
            var prepareCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var prepareStorage = StorageTraffic.Sample();
            var prepareClock = Stopwatch.StartNew();
            experiment.Preparation.Prepare(path, settings.FileSize);
            var prepareSeconds = prepareClock.Elapsed.TotalSeconds;
            var prepareCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - prepareCpu).TotalSeconds;
            var prepared = StorageTraffic.Sample() - prepareStorage;

            using var appender = experiment.Open(path, size, ring);
            var data = new byte[size];
            Random.Shared.NextBytes(data);
            var latencies = new LatencyHistogram();

            // A page of headroom: whole-page writers write past the data's end up to the next page boundary.
            var limit = settings.FileSize - size - AlignedBuffer.Alignment;
            long appended = 0, appends = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var storage = StorageTraffic.Sample();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < settings.Duration && appended <= limit)
            {
                var start = Stopwatch.GetTimestamp();
                appender.Append(data);
                latencies.Record(Stopwatch.GetTimestamp() - start);
                appended += size;
                appends++;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var traffic = StorageTraffic.Sample() - storage;
            return new ExperimentResult(experiment.Group, experiment.Method, experiment.Preparation.Name, size, appends, seconds,
                latencies.PercentileMicroseconds(0.50), latencies.PercentileMicroseconds(0.99), latencies.PercentileMicroseconds(0.999),
                cpuSeconds, traffic, prepareSeconds, prepareCpuSeconds, prepared);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            // A file system that refuses O_DIRECT (tmpfs) or fallocate: the row says so instead of failing the run.
            return ExperimentResult.Skip(experiment, size, e.Message);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".old");
        }
    }

    // The first calls of each path would otherwise pay for the JIT inside the first row's window.
    private static void WarmUp(string root, IoUring? ring)
    {
        var path = Path.Combine(root, "warm-up.dat");
        var data = new byte[144];
        IAppendPath[] paths = ring is null ? [new BufferedPath(path)] : [new BufferedPath(path), new UringPath(ring, path, 4096, direct: false)];
        foreach (var appender in paths)
        {
            using (appender)
            {
                for (var i = 0; i < 50; i++)
                {
                    appender.Append(data);
                }
            }
        }

        File.Delete(path);
    }
}
