using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using WalActors.Host.Bench.Recovery;

namespace WalActors.Benchmarks.Startup;

/// <summary>
/// Time to ready of a log of many small records, started three ways: with no recovery point (recovery reads every frame
/// from the head), after a graceful stop (the recovery point lies at the close marker), and after an abrupt stop that
/// followed a segment's worth of appends (the recovery point lies where the log passed its last segment boundary).
/// </summary>
internal static class StartupBench
{
    public const string FullScan = "no recovery point";
    public const string Graceful = "graceful stop";
    public const string Killed = "abrupt stop";

    private const int PayloadSize = 128;

    // The library's frame of a 128-byte payload (16-byte header, padded to 8), its recovery point file and default segment
    // size: this program sees only the library's public face.
    private const int FrameSize = 144;
    private const string RecoveryPointFileName = "walactors.recovery";
    private const long SegmentSize = 64L * 1024 * 1024;

    public static async Task<IReadOnlyList<StartupRow>> RunAsync(string directory, long bytes, int runs, Action<string> progress)
    {
        progress($"writing {bytes / FrameSize:N0} records of {PayloadSize} bytes");
        await new WalRecoveryBench().BuildAsync(directory, bytes / FrameSize, PayloadSize).ConfigureAwait(false);
        var config = ConfigurationFactory.ParseString("akka.loglevel = ERROR\nakka.stdout-loglevel = ERROR").WithFallback(WalConfig.Defaults);
        using var system = ActorSystem.Create("walactors-startup-bench", config);
        var rows = new List<StartupRow>();
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                progress($"run {run} of {runs}: {FullScan}");
                File.Delete(Path.Combine(directory, RecoveryPointFileName));
                rows.Add(await StartAsync(system, directory, FullScan, abruptAfterAppending: 0).ConfigureAwait(false));
                progress($"run {run} of {runs}: {Graceful}");
                rows.Add(await StartAsync(system, directory, Graceful, abruptAfterAppending: SegmentSize).ConfigureAwait(false));
                progress($"run {run} of {runs}: {Killed}");
                rows.Add(await StartAsync(system, directory, Killed, abruptAfterAppending: 0).ConfigureAwait(false));
            }
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }

        return rows;
    }

    /// <summary>
    /// Starts the log and times it until ready; then stops it gracefully, or, after appending
    /// <paramref name="abruptAfterAppending"/> bytes, abruptly (no close marker, no recovery point at the end).
    /// </summary>
    private static async Task<StartupRow> StartAsync(ActorSystem system, string directory, string scenario, long abruptAfterAppending)
    {
        var clock = Stopwatch.StartNew();
        var log = WriteAheadLog.Start(system, new WalOptions { Directory = directory }, "startup-" + Guid.NewGuid().ToString("N")[..8]);
        var client = new WalClient(system, log);
        var report = await client.Ready.ConfigureAwait(false);
        var row = new StartupRow(scenario, clock.Elapsed.TotalSeconds, report.ScannedBytes, report.Bytes, report.RecordCount);
        if (abruptAfterAppending == 0)
        {
            await WriteAheadLog.StopAsync(log, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            return row;
        }

        var payloads = Enumerable.Range(0, 1000).Select(_ => (ReadOnlyMemory<byte>)new byte[PayloadSize]).ToArray();
        for (long appended = 0; appended < abruptAfterAppending; appended += payloads.Length * FrameSize)
        {
            await client.AppendBatchAsync(payloads).ConfigureAwait(false);
        }

        await log.GracefulStop(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        return row;
    }
}
