using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Persistence.Bench;

/// <summary>
/// Issue 13's "replay of one id's 1,000 events" in a journal whose ids' events interleave: M ids x 1,000 events written
/// in rounds (every id's next 100 events per round), a restart, then 50 ids recovered one after another (warm cache).
/// `--replay-one M` (1,000 ids: 1 M events).
/// </summary>
public static class ReplayOneBench
{
    public static async Task RunAsync(string root, int ids, bool json)
    {
        var directory = Path.Combine(root, $"replay-one-{ids}");
        var system = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
        try
        {
            var done = new Countdown(ids);
            var actors = Enumerable.Range(0, ids).Select(id => system.ActorOf(BenchActor.Props($"one-{id}", 1000, done))).ToList();
            var payloads = Enumerable.Range(0, 100).Select(i => $"event-{i:D6}").ToArray();
            for (var round = 0; round < 10; round++)
            {
                foreach (var actor in actors)
                {
                    actor.Tell(new BenchActor.Fill(payloads));
                }
            }

            await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
        }
        finally
        {
            await system.Terminate();
        }

        var restarted = ActorSystem.Create("bench", Journals.For(Journals.Wal, directory, json));
        try
        {
            var warm = new Countdown(1);
            restarted.ActorOf(BenchActor.Props("nobody", 0, warm));
            await warm.Task.WaitAsync(TimeSpan.FromMinutes(10));
            var random = new Random(7);
            var times = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var ready = new Countdown(1);
                var clock = Stopwatch.StartNew();
                var actor = restarted.ActorOf(BenchActor.Props($"one-{random.Next(ids)}", 0, ready));
                var replayed = await ready.Task.WaitAsync(TimeSpan.FromMinutes(1));
                times.Add(clock.Elapsed.TotalMilliseconds);
                await actor.GracefulStop(TimeSpan.FromSeconds(10));
                if (replayed != 1000)
                {
                    throw new InvalidOperationException($"replayed {replayed} events, expected 1,000");
                }
            }

            times.Sort();
            Console.WriteLine($"replay of one id's 1,000 events among {ids:N0} interleaved ids ({ids * 1000:N0} events): " +
                              $"p50 {times[times.Count / 2]:F1} ms, p90 {times[(int)(times.Count * 0.9)]:F1} ms, max {times[^1]:F1} ms");
        }
        finally
        {
            await restarted.Terminate();
        }
    }
}
