using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Persistence.Bench;

/// <summary>
/// Issue 13's recovery storm (akka.net #7447: tens of thousands of sharded entities recovering at once after a rebalance):
/// N entities with a few events each are written, the system restarts, and all N start at once. Reports entities
/// recovered per second and the p50/p99 time from start to ready. `--storm N` (10,000 and 100,000 in the issue).
/// </summary>
public static class StormBench
{
    private const int EventsPerEntity = 10;
    private const int FillWave = 10_000;

    public static async Task RunAsync(string root, int entities, bool json, string journal = Journals.Wal)
    {
        var directory = Path.Combine(root, $"storm-{journal}-{entities}");
        var system = ActorSystem.Create("bench", Journals.For(journal, directory, json));
        var restarts = journal != Journals.InMemory; // the in-memory journal forgets everything with its system
        try
        {
            // Written in waves: 100,000 entities each with a write queued at once is a write burst, not the storm; no
            // journal below 100,000 events/s acknowledges the last of them inside Akka's 10 s circuit-breaker call timeout.
            // The slowest wave, the longest barrier and the GC's pauses say which of disk, collector or pipeline a slow fill waited on.
            using var barriers = new BarrierTimes();
            var pausedBefore = GC.GetTotalPauseDuration();
            var slowestWave = TimeSpan.Zero;
            var slowestRecovered = TimeSpan.Zero;
            var filling = Stopwatch.StartNew();
            var payloads = Enumerable.Range(0, EventsPerEntity).Select(i => $"event-{i:D6}").ToArray();
            for (var first = 0; first < entities; first += FillWave)
            {
                var wave = Math.Min(FillWave, entities - first);
                var waveStarted = filling.Elapsed;
                var done = new Countdown(wave);
                var recovered = new Countdown(wave);
                var writers = Enumerable.Range(first, wave).Select(e => system.ActorOf(BenchActor.Props($"storm-{e}", EventsPerEntity, done, recovered))).ToList();
                foreach (var writer in writers)
                {
                    writer.Tell(new BenchActor.Fill(payloads));
                }

                await recovered.Task.WaitAsync(TimeSpan.FromMinutes(30));
                var recoveredAfter = filling.Elapsed - waveStarted;
                await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
                var waveTook = filling.Elapsed - waveStarted;
                if (waveTook > slowestWave)
                {
                    (slowestWave, slowestRecovered) = (waveTook, recoveredAfter);
                }

                await Task.WhenAll(writers.Select(w => w.GracefulStop(TimeSpan.FromSeconds(30))));
            }

            Console.WriteLine($"storm fill ({journal}): {entities:N0} entities in waves of {FillWave:N0}, each writing {EventsPerEntity} events in one PersistAll: " +
                              $"{filling.Elapsed.TotalSeconds:F2} s, {entities * EventsPerEntity / filling.Elapsed.TotalSeconds:N0} events/s; " +
                              $"slowest wave {slowestWave.TotalSeconds:F2} s (its entities all recovered after {slowestRecovered.TotalSeconds:F2} s), longest barrier {barriers.Longest.TotalMilliseconds:F0} ms, {barriers.Read().Count:N0} barriers, " +
                              $"GC paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:F2} s");
        }
        finally
        {
            if (restarts)
            {
                await system.Terminate();
            }
        }

        var restarted = restarts ? ActorSystem.Create("bench", Journals.For(journal, directory, json)) : system;
        try
        {
            // The journal's own start-up (log recovery, index) is not the storm: wait for it with one entity first.
            var warm = new Countdown(1);
            restarted.ActorOf(BenchActor.Props("nobody", 0, warm));
            await warm.Task.WaitAsync(TimeSpan.FromMinutes(10));

            // Round 1 is the storm a process meets cold (JIT, first reads); later rounds, the same entities again in the
            // same system, are its steady state. BENCH_STORM_ROUNDS (default 1) sets how many.
            var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_STORM_ROUNDS") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            for (var round = 1; round <= rounds; round++)
            {
                var times = new ConcurrentBag<double>();
                var ready = new Countdown(entities);
                var clock = Stopwatch.StartNew();
                for (var e = 0; e < entities; e++)
                {
                    // Not Props.Create(() => new ...): that compiles an expression tree per entity (akka.net #4698), which
                    // alone held the storm near 4,000 entities/s here, whichever journal.
                    restarted.ActorOf(Props.Create<TimedRecovery>($"storm-{e}", clock, times, ready));
                }

                var replayed = await ready.Task.WaitAsync(TimeSpan.FromMinutes(30));
                var total = clock.Elapsed;
                var sorted = times.Order().ToArray();
                Console.WriteLine($"storm ({journal}{(restarts ? ", after a restart" : ", same system")}): {entities:N0} entities x {EventsPerEntity} events recovered at once in {total.TotalSeconds:F2} s: " +
                                  $"{entities / total.TotalSeconds:N0} entities/s, time to ready p50 {sorted[sorted.Length / 2]:N0} ms, " +
                                  $"p99 {sorted[(int)(sorted.Length * 0.99)]:N0} ms, max {sorted[^1]:N0} ms; {replayed:N0} events replayed (round {round} of {rounds})");
            }
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    /// <summary>Recovers, records how long after the storm began it was ready, and stops.</summary>
    private sealed class TimedRecovery : ReceivePersistentActor
    {
        private long _events;

        public TimedRecovery(string persistenceId, Stopwatch clock, ConcurrentBag<double> times, Countdown ready)
        {
            PersistenceId = persistenceId;
            Recover<string>(_ => _events++);
            Recover<RecoveryCompleted>(_ =>
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
                ready.Signal(_events);
                Context.Stop(Self);
            });
        }

        public override string PersistenceId { get; }
    }
}
