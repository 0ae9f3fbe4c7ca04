using System.Globalization;
using System.Text;
using Akka.Actor;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Crash;

/// <summary>
/// The real pipeline (facade, sequencer, writers, durability actor, recovery) on a <see cref="PowerLossStore"/>: many
/// producers, both durability levels, atomic batches, several writers; the power goes off at a random operation, and the
/// log is restarted from what the crash left, several lives in a row. Every operation boundary of every life is then a
/// crash point: the page cache as it stood there is crashed several ways and each image is recovered and judged.
/// </summary>
public sealed class PowerLossTests(ITestOutputHelper output) : WalTestKit(output, Quiet)
{
    /// <summary>Enough crash points to tear every kind of write many times, few enough for seconds in CI.</summary>
    private const long DefaultCrashPoints = 4000;

    // Every life ends in a fault and a stop: the log's error and the dead letters after it are expected thousands of times.
    private const string Quiet = """
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task No_acknowledged_append_is_lost_and_no_record_invented_at_any_crash_point()
    {
        // Muted for the system's whole life: its shutdown asks every stopped log to stop again.
        EventFilter.DeadLetter().Mute();
        var settings = CrashSettings.FromEnvironment(DefaultCrashPoints);
        var tally = new CrashTally();
        _output.WriteLine($"base seed {settings.BaseSeed}, {settings.TargetPoints} crash points wanted");

        for (var scenario = 0; tally.CrashPoints < settings.TargetPoints; scenario++)
        {
            await RunScenarioAsync(settings.SeedOf(scenario), tally);
            tally.Scenarios++;
        }

        _output.WriteLine(tally.ToString());
        if (settings.ExpectsVariety)
        {
            // Guards against a simulation that stopped biting: lives must end mid-work, and crashes must tear and drop
            // real data. (How many lives end mid-work depends on how much a loaded machine lets the log batch.)
            Assert.True(tally.CrashedMidWork > tally.Lives / 5, $"too few lives crashed mid-work: {tally}");
            Assert.True(tally.TornTails > 0, $"no crash left a torn tail: {tally}");
            Assert.True(tally.WrittenLostToPowerLoss > 0, $"no power loss took away unsynced data: {tally}");
            Assert.True(tally.FromRecoveryPoint > 0, $"no crash left a recovery point that recovery started from: {tally}");
        }
    }

    private async Task RunScenarioAsync(int seed, CrashTally tally)
    {
        var random = new Random(seed);
        var options = ScenarioOptions(random);
        var workload = new CrashWorkload();
        var oracle = new CrashOracle(workload, options.ToRecoveryOptions());
        var acknowledgedLsns = new Dictionary<PayloadTag, long>();
        var violations = new List<string>();
        var image = Array.Empty<byte>();
        (long End, byte[] Body)? point = null;
        var previous = oracle.Recover(image, violations)!;
        var lives = random.Next(2, 4);
        var barrierTime = TimeSpan.FromMilliseconds(random.Next(3) == 0 ? random.Next(1, 4) : 0);
        for (var life = 1; life <= lives; life++)
        {
            var context = $"seed {seed}, life {life} of {lives}, {Describe(options)}, barrier time {barrierTime.TotalMilliseconds} ms";
            var producers = workload.AddGeneration(life, random, producers: random.Next(2, 9), maxRequests: random.Next(1, 25));
            var requests = producers.Sum(p => p.Count);
            var powerOffAt = random.Next(8) == 0 ? 0 : random.NextInt64(1, requests + 4);
            var store = new PowerLossStore(image, powerOffAt, barrierTime, point);
            var pointAtStart = point;

            var status = await LiveAsync(store, options, producers, random, context, violations);
            tally.Lives++;
            tally.CrashedMidWork += store.WentOffAtChosenOperation ? 1 : 0;
            if (status.Recovery is { } report && (report.End != previous.Report.End || report.RecordCount != previous.Report.RecordCount))
            {
                violations.Add($"the log's own recovery found {report}, the oracle's found {previous.Report}");
            }

            var events = store.Events;
            RecordAcknowledgedLsns(events, acknowledgedLsns, violations);
            Fail(seed, violations, context, events, events.Count);

            (CrashImage Image, RecoveredLog Log)[] last = [];
            tally.CrashPoints += CrashReplay.Run(image, events, (point, model, seen) =>
            {
                var draw = new Random(Mix(seed, life, point));
                last = [];
                foreach (var crash in new[] { model.PowerLoss(draw), model.PowerLoss(draw), model.ProcessCrash() })
                {
                    var log = oracle.Check(crash, seen, acknowledgedLsns, options.SyncMode == SyncMode.None, previous, violations, tally);
                    Fail(seed, violations, $"{context}, crash point {point}, {crash.Fates}", events, point);
                    last = [.. last, (crash, log!)];
                }
            }, pointAtStart);

            // The next life starts from what this crash left: mostly a power loss, sometimes a process crash.
            var (nextImage, nextLog) = last[random.Next(5) == 0 ? 2 : 0];
            image = nextImage.Bytes;
            point = nextImage.RecoveryPoint;
            previous = nextLog;
        }
    }

    /// <summary>One life of the log: start it on the store, run every producer to the end, turn the power off, stop it.</summary>
    private async Task<WalStatus> LiveAsync(
        PowerLossStore store, WalOptions options, IReadOnlyList<IReadOnlyList<WorkloadRequest>> producers, Random random, string context, List<string> violations)
    {
        var log = WriteAheadLog.Start(Sys, options, () => store, "power-loss store", "crash-" + Guid.NewGuid().ToString("N"));
        var client = new WalClient(Sys, log);
        var runs = new List<Task<IReadOnlyList<string>>>();
        foreach (var requests in producers)
        {
            var inFlight = random.Next(1, 7);
            if (random.Next(4) == 0)
            {
                runs.Add(ClientProducer.RunAsync(client, requests, inFlight, store));
                continue;
            }

            var done = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
            Sys.ActorOf(Props.Create(() => new CrashProducer(log, requests, inFlight, store, done)));
            runs.Add(done.Task);
        }

        try
        {
            foreach (var problems in await Task.WhenAll(runs).WaitAsync(Patience))
            {
                violations.AddRange(problems);
            }
        }
        catch (TimeoutException)
        {
            violations.Add($"the producers were not all answered within {Patience.TotalSeconds} s: the log hung");
        }

        store.PowerOff();
        var status = await log.Ask<WalStatus>(GetStatus.Instance, Patience);
        await WriteAheadLog.StopAsync(log, Patience);
        Sys.Stop(log);
        return status;
    }

    private static void RecordAcknowledgedLsns(IReadOnlyList<StoreEvent> events, Dictionary<PayloadTag, long> lsns, List<string> violations)
    {
        foreach (var acknowledgement in events.Where(e => !e.IsOperation).Select(e => e.Acknowledgement!))
        {
            for (var i = 0; i < acknowledgement.Lsns.Count; i++)
            {
                if (!lsns.TryAdd(acknowledgement.Request.Tag(i), acknowledgement.Lsns[i]))
                {
                    violations.Add($"{acknowledgement.Request} was acknowledged twice");
                }
            }
        }
    }

    private static WalOptions ScenarioOptions(Random random)
    {
        var roll = random.NextDouble();
        return new WalOptions
        {
            Directory = "unused",
            MaxRecordSize = 2048,
            MaxBatchSize = 8 * 1024,
            WriterBatchSize = 4096 * random.Next(1, 3),

            // A small window makes writers wait for barriers and keeps torn frames close to damage detection.
            MaxUnsyncedBytes = random.Next(3) switch { 0 => 16 * 1024, 1 => 48 * 1024, _ => 1024 * 1024 },
            Writers = random.Next(2, 4),
            SyncMode = roll < 0.7 ? SyncMode.Group : roll < 0.85 ? SyncMode.PerAppend : SyncMode.None,
            SyncInterval = random.Next(5) == 0 ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero,
            ShutdownTimeout = TimeSpan.FromSeconds(30),

            // A life lasts milliseconds: the recovery point must move within it to be part of what a crash leaves.
            RecoveryPointInterval = TimeSpan.FromMilliseconds(1),
        };
    }

    private static string Describe(WalOptions o) =>
        $"writers={o.Writers} sync-mode={o.SyncMode} sync-interval={o.SyncInterval.TotalMilliseconds}ms " +
        $"writer-batch-size={o.WriterBatchSize} max-unsynced-bytes={o.MaxUnsyncedBytes}";

    /// <summary>Fails with the seed, the crash point, what the crash did and the operations that led to it.</summary>
    private static void Fail(int seed, List<string> violations, string context, IReadOnlyList<StoreEvent> events, int point)
    {
        if (violations.Count == 0)
        {
            return;
        }

        var message = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Crash consistency violated ({context}).")
            .AppendLine(CrashSettings.ReplayHint(seed))
            .AppendJoin(Environment.NewLine, violations.Take(12)).AppendLine()
            .AppendLine("The operations before the crash point, last 60:")
            .AppendLine(DescribeOperations(events, point, 60));
        Assert.Fail(message.ToString());
    }

    private static string DescribeOperations(IReadOnlyList<StoreEvent> events, int point, int most)
    {
        var described = new List<string>();
        var operations = 0;
        foreach (var e in events)
        {
            if (e.IsOperation && operations++ == point)
            {
                break;
            }

            described.Add(e.Kind switch
            {
                StoreEventKind.Write => $"write [{e.Offset},{e.Offset + e.Bytes!.Length})",
                StoreEventKind.BarrierBegan => $"barrier {e.Barrier} begins",
                StoreEventKind.BarrierEnded => $"barrier {e.Barrier} returns",
                StoreEventKind.Truncate => $"truncate to {e.Offset}",
                StoreEventKind.RecoveryPoint => $"recovery point at LSN {e.Offset}",
                _ => $"  ack {e.Acknowledgement!.Request} at LSN {string.Join(',', e.Acknowledgement.Lsns)}",
            });
        }

        return string.Join(Environment.NewLine, described.TakeLast(most));
    }

    /// <summary>A deterministic seed for one crash point (HashCode is randomised per process, so it would not replay).</summary>
    private static int Mix(int seed, int life, int point)
    {
        var h = ((ulong)(uint)seed * 0x9E3779B97F4A7C15) ^ ((ulong)(uint)life << 32) ^ (uint)point;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EB;
        return (int)(h ^ (h >> 31));
    }
}
