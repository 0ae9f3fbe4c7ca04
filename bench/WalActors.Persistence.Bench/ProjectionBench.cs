using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence.Query;

namespace WalActors.Persistence.Bench;

/// <summary>
/// A projection over all events while 100 actors persist 1,000 events each: how long after the writers stop its lag is
/// back to 0, and how many commit frames it wrote per 1,000 events (auto-commit: every 1,000 events or 200 ms).
/// </summary>
internal static class ProjectionBench
{
    public static async Task RunAsync(string root, bool json, Func<ActorSystem, int, int, string, Task<TimeSpan>> persistMany)
    {
        foreach (var mode in new[] { ProjectionMode.AtLeastOnce, ProjectionMode.ExactlyOnce })
        {
            var directory = Path.Combine(root, "projection-" + mode);
            Directory.CreateDirectory(directory);
            var system = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
            try
            {
                await persistMany(system, 10, 100, "warmup");
                var projection = WalProjection.Start(system, "bench", ProjectionQuery.AllEvents, new CountingHandler(), new WalProjectionOptions { Mode = mode });
                await WaitForLagAsync(projection, TimeSpan.FromMinutes(2));
                var (commitsBefore, handledBefore) = (projection.Commits, projection.EventsHandled);
                var writing = await persistMany(system, 100, 1_000, "projected");
                var stopped = Stopwatch.StartNew();
                var handledAtStop = projection.EventsHandled - handledBefore;
                await WaitForLagAsync(projection, TimeSpan.FromMinutes(2));
                var caughtUp = stopped.Elapsed;
                var commits = projection.Commits - commitsBefore;
                var events = projection.EventsHandled - handledBefore;
                await projection.StopAsync();
                Console.WriteLine($"  projection {mode,-12} 100 actors x 1,000 Persist in {writing.TotalSeconds:F2} s ({100_000 / writing.TotalSeconds:N0} events/s); " +
                                  $"handled {handledAtStop:N0} by then; lag 0 {caughtUp.TotalMilliseconds:N0} ms after the writers stopped; " +
                                  $"{commits:N0} commit frames for {events:N0} events ({commits * 1000.0 / events:F2} per 1,000)");
            }
            finally
            {
                await system.Terminate();
            }
        }
    }

    private static async Task WaitForLagAsync(WalProjectionHandle projection, TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        while (await projection.GetLagAsync() > 0)
        {
            if (deadline.Elapsed > patience || projection.Completion.IsCompleted)
            {
                throw new InvalidOperationException($"The projection never caught up: {projection.Completion.Exception?.Message ?? "still lagging"}.");
            }

            await Task.Delay(1);
        }
    }

    private sealed class CountingHandler : IWalProjectionHandler
    {
        public Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ProjectedEvent>>([]);
    }
}
