using System.CommandLine;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Host.Bench.Measurement;
using WalActors.Host.Cli;
using WalActors.Host.Demo;
using WalActors.Host.Output;
using WalActors.Host.Reading;
using WalActors.Host.Runtime;

namespace WalActors.Host.Commands;

/// <summary><c>walactors demo</c>: open (and recover) a log, run a short workload, print what it achieved.</summary>
internal static class DemoCommand
{
    // Producers are actors with one append in flight each: a million is about a gigabyte of actors, far more than any
    // disk needs to be kept busy, and the bound keeps a typo from exhausting memory.
    private const int MaxProducers = 1_000_000;
    private const double MaxSeconds = 7 * 24 * 3600;

    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory; created if there is none.", defaultValue: "wal-data");
        var seconds = CommandOptions.Seconds("--seconds", "How long the workload runs.", 3, MaxSeconds);
        var producers = CommandOptions.WholeNumber("--producers", "Producer actors, each with one durable append in flight.", 64, 1, MaxProducers);
        var payload = CommandOptions.WholeNumber("--payload", "Payload bytes per record, at most walactors.log.max-record-size.", 128, 0, int.MaxValue);
        var command = new DocumentedCommand("demo", "Recover a log, run producer actors against it, print the figures (the default).", """
            Starts an actor system with WithWriteAheadLog, recovers the log (printing the recovery report), runs producer
            actors for a few seconds, then prints appends/s, latency percentiles, barriers, batch sizes and the log's
            positions on stdout. Run it twice: the second run recovers the first run's records. A bare `walactors` runs
            it with its defaults. Akka's warnings and errors go to stderr, one line each; the live progress line too,
            when stderr is a terminal.

            Examples:
              walactors demo
              walactors demo --dir /tmp/wal --seconds 10 --producers 8 --payload 4096
            """)
        {
            dir, seconds, producers, payload,
        };
        command.SetGuardedAction((result, cancellation) => RunAsync(
            result.GetValue(dir)!, result.GetValue(seconds), result.GetValue(producers), result.GetValue(payload), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string directory, double seconds, int producerCount, int payloadSize, CancellationToken cancellation)
    {
        var limits = WalOptions.FromConfig(WalConfig.Defaults.GetConfig(WalOptions.ConfigPath));
        if (payloadSize > limits.MaxRecordSize)
        {
            throw new UsageException(
                $"--payload {payloadSize:N0} is larger than the largest record the log accepts, {limits.MaxRecordSize:N0} bytes (walactors.log.max-record-size).");
        }

        var fullPath = LogDirectory.ForWriting(directory);
        // Only the report goes to stdout; whatever else writes to the console while the actor system runs goes to stderr.
        var report = Console.Out;
        Console.SetOut(Console.Error);
        report.WriteLine($"WalActors demo: log in {fullPath}");
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("walactors-demo", builder => builder
                    .AddHocon(CommandSystemConfig.Hocon, HoconAddMode.Prepend)
                    .ConfigureLoggers(loggers =>
                    {
                        loggers.LogLevel = LogLevel.WarningLevel;
                        loggers.ClearLoggers();
                        loggers.AddLogger<StderrLogger>();
                    })
                    .WithWriteAheadLog(options => options with
                    {
                        Directory = fullPath,

                        // Each producer keeps one append in flight; the log must hold them all, with room for the moment
                        // between an answer and the producer's next append.
                        MaxPendingAppends = (int)Math.Min(int.MaxValue, Math.Max(options.MaxPendingAppends, 2L * producerCount)),
                        MaxPendingBytes = Math.Max(options.MaxPendingBytes, 2L * producerCount * (payloadSize + 24)),
                    }));
                services.AddWalClient();
            })
            .Build();
        await host.StartAsync(cancellation).ConfigureAwait(false);
        try
        {
            var client = host.Services.GetRequiredService<IWalClient>();
            report.WriteLine($"recovered: {RecoveryLine.Of(await client.Ready.ConfigureAwait(false))}");

            var system = host.Services.GetRequiredService<ActorSystem>();
            var log = await host.Services.GetRequiredService<IRequiredActor<WriteAheadLogActor>>().GetAsync(cancellation).ConfigureAwait(false);
            var before = await client.GetStatusAsync(cancellation).ConfigureAwait(false);
            var recorder = new DemoRecorder(producerCount);
            var storageBefore = StorageTraffic.Sample();
            var logThreadsBefore = LogThreadReads.Sample();
            var elapsed = await RunWorkloadAsync(system, log, client, recorder, TimeSpan.FromSeconds(seconds), producerCount, payloadSize).ConfigureAwait(false);
            var storage = StorageTraffic.Sample() - storageBefore;
            var logThreadsRead = logThreadsBefore is null ? (double?)null : LogThreadReads.Sample()?.Since(logThreadsBefore);
            var after = await client.GetStatusAsync(cancellation).ConfigureAwait(false);
            DemoReport.Write(report, recorder, elapsed, before, after, producerCount, payloadSize);
            report.WriteLine(StorageReadsLine(storage, logThreadsRead, (double)(after.Counters.Appends - before.Counters.Appends) * payloadSize));
            report.Flush();
            if (recorder.FirstFailure is { } failure)
            {
                await Console.Error.WriteLineAsync(CommandFailure.OneLine($"walactors: error: {recorder.Failed:N0} appends failed: {failure.Message}")).ConfigureAwait(false);
                return ExitCodes.For(failure);
            }

            return ExitCodes.Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Issue 12: appending should read nothing from the device (a partial write into a page that is not cached makes the
    // kernel read it first). The verdict is on the log's own threads; the process's figure, printed beside it, also holds
    // whatever else the process pages in (the runtime's libraries the first time a code path runs). Both are this
    // process's, so another program's reads on the same disk count in neither.
    private static string StorageReadsLine(StorageTraffic storage, double? logThreadsRead, double appendedBytes)
    {
        var process = storage.BestReadBytes;
        if (double.IsNaN(process) || appendedBytes <= 0)
        {
            return "storage reads: not measured (no appends, or no /proc/self/io or getrusage here)";
        }

        var judged = logThreadsRead ?? process;
        var percent = 100 * judged / appendedBytes;
        var verdict = percent <= 1 ? "met" : "MISSED";
        var whose = logThreadsRead is null ? "by the process" : "by the log's threads";
        var whole = logThreadsRead is null ? "" : $"; the whole process read {process / 1e6:N1} MB ({storage.MajorFaults:N0} major faults: library pages read in)";
        return $"storage reads:  {judged / 1e6:N1} MB read {whose} while appending {appendedBytes / 1e6:N1} MB: {judged / (appendedBytes / 1e6):N0} B per MB appended " +
            $"({percent:N2}%; target <= 1%: {verdict}){whole}";
    }

    private static async Task<TimeSpan> RunWorkloadAsync(
        ActorSystem system, IActorRef log, IWalClient client, DemoRecorder recorder, TimeSpan duration, int producerCount, int payloadSize)
    {
        var progress = ProgressLine.ForStandardError();
        var startAppends = (await client.GetStatusAsync().ConfigureAwait(false)).Counters.Appends;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < producerCount; i++)
        {
            system.ActorOf(DemoProducer.Props(log, i, payloadSize, recorder));
        }

        // Every producer stops early only if its appends fail; then there is nothing left to wait for.
        while (clock.Elapsed < duration && !recorder.AllStopped.IsCompleted)
        {
            var left = duration - clock.Elapsed;
            await Task.WhenAny(recorder.AllStopped, Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250))).ConfigureAwait(false);
            var appends = (await client.GetStatusAsync().ConfigureAwait(false)).Counters.Appends - startAppends;
            progress.Report($"  {clock.Elapsed.TotalSeconds,5:F1} s  {appends,12:N0} appends  {appends / clock.Elapsed.TotalSeconds,10:N0} appends/s");
        }

        recorder.Stop();
        // Each producer stops when its append in flight is answered, and the log answers every append; the bound only
        // turns a hang into an error.
        await recorder.AllStopped.WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        progress.Finish();
        return clock.Elapsed;
    }
}
