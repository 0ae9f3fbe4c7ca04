using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Persistence.Bench;

/// <summary>The log alone, through WalClient, closed loop: the floor under the journal's own overhead.</summary>
public static class LogProbe
{
    public static async Task RunAsync(string directory)
    {
        var system = ActorSystem.Create("probe", WalConfig.Defaults);
        try
        {
            var client = new WalClient(system, WriteAheadLog.Start(system, new WalOptions { Directory = Path.Combine(directory, "probe") }, "probe"));
            await client.Ready;
            var payload = new byte[120];
            foreach (var producers in new[] { 1, 1, 100 })
            {
                var each = producers == 1 ? 10_000 : 1_000;
                var before = (await client.GetStatusAsync()).Counters;
                var stopwatch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, producers).Select(async _ =>
                {
                    for (var i = 0; i < each; i++)
                    {
                        await client.AppendBatchAsync([payload]);
                    }
                }));
                stopwatch.Stop();
                var after = (await client.GetStatusAsync()).Counters;
                Console.WriteLine($"  log alone: {producers} producers x {each} AppendBatchAsync: {producers * each / stopwatch.Elapsed.TotalSeconds:N0} appends/s, " +
                                  $"{(double)(after.Appends - before.Appends) / (after.Barriers - before.Barriers):F1} appends per barrier");
            }
        }
        finally
        {
            await system.Terminate();
        }
    }
}
