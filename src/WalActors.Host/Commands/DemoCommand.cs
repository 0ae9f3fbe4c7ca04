using System.CommandLine;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Host.Demo;

namespace WalActors.Host.Commands;

/// <summary><c>walactors demo</c>: open (and recover) a log, run a short workload, print what it achieved.</summary>
internal static class DemoCommand
{
    public static Command Create(out Func<ParseResult, CancellationToken, Task<int>> run)
    {
        var dir = new Option<string>("--dir") { Description = "The log directory.", DefaultValueFactory = _ => "wal-data" };
        var seconds = new Option<double>("--seconds") { Description = "How long the workload runs.", DefaultValueFactory = _ => 3 };
        var producers = new Option<int>("--producers") { Description = "Producer actors, each with one durable append in flight.", DefaultValueFactory = _ => 64 };
        var payload = new Option<int>("--payload") { Description = "Payload bytes per record.", DefaultValueFactory = _ => 128 };
        var command = new Command("demo", """
            Start an actor system with WithWriteAheadLog, recover the log (printing the recovery report), run producer
            actors for a few seconds, then print appends/s, latency percentiles, barriers, batch sizes and the log's
            positions. Run it twice: the second run recovers the first run's records. This is what a bare `walactors` does.

            Examples:
              walactors demo
              walactors demo --dir /tmp/wal --seconds 10 --producers 8 --payload 4096
            """)
        {
            dir, seconds, producers, payload,
        };
        run = (result, cancellation) => CommandFailure.GuardAsync(() => RunAsync(
            result.GetValue(dir)!, result.GetValue(seconds), result.GetValue(producers), result.GetValue(payload), cancellation));
        command.SetAction(run);
        return command;
    }

    private static async Task<int> RunAsync(string directory, double seconds, int producerCount, int payloadSize, CancellationToken cancellation)
    {
        if (seconds <= 0 || producerCount <= 0 || payloadSize <= 0)
        {
            throw new ArgumentException("--seconds, --producers and --payload must be positive.");
        }

        var fullPath = Path.GetFullPath(directory);
        Console.WriteLine($"WalActors demo: log in {fullPath}");
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("walactors-demo", builder => builder
                    .ConfigureLoggers(loggers => loggers.LogLevel = LogLevel.WarningLevel)
                    .WithWriteAheadLog(options => options with { Directory = fullPath }));
                services.AddWalClient();
            })
            .Build();
        await host.StartAsync(cancellation).ConfigureAwait(false);
        try
        {
            var client = host.Services.GetRequiredService<IWalClient>();
            var report = await client.Ready.ConfigureAwait(false);
            Console.WriteLine($"recovered: {report}");

            var system = host.Services.GetRequiredService<ActorSystem>();
            var log = await host.Services.GetRequiredService<IRequiredActor<WriteAheadLogActor>>().GetAsync(cancellation).ConfigureAwait(false);
            var before = await client.GetStatusAsync(cancellation).ConfigureAwait(false);
            var results = await RunWorkloadAsync(system, log, client, TimeSpan.FromSeconds(seconds), producerCount, payloadSize).ConfigureAwait(false);
            var after = await client.GetStatusAsync(cancellation).ConfigureAwait(false);
            Print(results, before, after, producerCount, payloadSize);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<WorkloadResult> RunWorkloadAsync(ActorSystem system, IActorRef log, IWalClient client, TimeSpan duration, int producerCount, int payloadSize)
    {
        var inbox = Inbox.Create(system);
        var producers = Enumerable.Range(0, producerCount)
            .Select(i => system.ActorOf(Props.Create(() => new DemoProducer(log, i, payloadSize, inbox.Receiver))))
            .ToList();
        var clock = Stopwatch.StartNew();
        producers.ForEach(p => p.Tell(DemoProducer.Begin.Instance));
        var startAppends = (await client.GetStatusAsync().ConfigureAwait(false)).Counters.Appends;
        while (clock.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            var appends = (await client.GetStatusAsync().ConfigureAwait(false)).Counters.Appends - startAppends;
            Console.Error.Write($"\r  {clock.Elapsed.TotalSeconds,5:F1} s  {appends,10:N0} appends  {appends / clock.Elapsed.TotalSeconds,10:N0} appends/s ");
        }

        producers.ForEach(p => p.Tell(DemoProducer.End.Instance));
        var latencies = new List<int>();
        var failed = 0;
        for (var i = 0; i < producerCount; i++)
        {
            var finished = (DemoProducer.Finished)await inbox.ReceiveAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            latencies.AddRange(finished.LatenciesMicros);
            failed += finished.Failed;
        }

        var elapsed = clock.Elapsed;
        Console.Error.WriteLine();
        latencies.Sort();
        return new WorkloadResult(latencies, failed, elapsed);
    }

    private static void Print(WorkloadResult results, WalStatus before, WalStatus after, int producers, int payloadSize)
    {
        var appends = after.Counters.Appends - before.Counters.Appends;
        var barriers = after.Counters.Barriers - before.Counters.Barriers;
        var writes = after.Counters.Writes - before.Counters.Writes;
        var seconds = results.Elapsed.TotalSeconds;
        Console.WriteLine($"workload:       {producers} producer actors, {payloadSize} B payloads, every append durable, {seconds:F1} s");
        Console.WriteLine($"appends/s:      {appends / seconds:N0}  ({appends:N0} acknowledged, {results.Failed} failed)");
        Console.WriteLine($"latency:        p50 {Percentile(results.LatenciesMicros, 0.50)} µs, p99 {Percentile(results.LatenciesMicros, 0.99)} µs");
        Console.WriteLine($"barriers:       {barriers:N0} ({barriers / seconds:N0}/s), {(barriers == 0 ? 0 : (double)appends / barriers):F1} appends per barrier");
        Console.WriteLine($"writes:         {writes:N0}, {(writes == 0 ? 0 : (double)appends / writes):F1} appends per positioned write");
        Console.WriteLine($"log:            head LSN {after.Head}, durable end LSN {after.DurableEnd}");
    }

    private static int Percentile(List<int> sorted, double q) => sorted.Count == 0 ? 0 : sorted[(int)(q * (sorted.Count - 1))];

    private sealed record WorkloadResult(List<int> LatenciesMicros, int Failed, TimeSpan Elapsed);
}
