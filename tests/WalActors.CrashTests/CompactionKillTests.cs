using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using WalActors.CrashTests.Support;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.CrashTests;

/// <summary>
/// Compaction killed at random moments: a journal grows and deletes round after round, and after each round
/// <c>walactors compact</c> runs and is killed with SIGKILL at a random point of its run (start-up, recovery, the index,
/// writing a compacted file, the rename, the deletion). After every kill the journal must open and replay, for every
/// persistence id, exactly the events after its delete, up to its highest sequence number, in order, once.
/// </summary>
public sealed class CompactionKillTests(ITestOutputHelper output) : LogDirectoryTest
{
    private const string SeedVariable = "WALACTORS_KILL_SEED";
    private const string RoundsVariable = "WALACTORS_COMPACTION_KILL_ROUNDS";
    private const int DefaultRounds = 8;
    private const int Ids = 8;
    private const int EventsPerRound = 1200;
    private static readonly string Filler = new('c', 700);

    [Fact]
    public async Task Every_live_event_survives_compaction_killed_at_any_moment()
    {
        var seed = ReadVariable(SeedVariable) ?? Random.Shared.Next();
        var rounds = ReadVariable(RoundsVariable) ?? DefaultRounds;
        output.WriteLine($"seed {seed} ({SeedVariable}), {rounds} rounds ({RoundsVariable})");
        var random = new Random(seed);
        var highest = new long[Ids];
        var deletedTo = new long[Ids];
        var fullRun = TimeSpan.Zero;
        var completed = 0;

        for (var round = 1; round <= rounds; round++)
        {
            var context = $"round {round} of seed {seed} (replay with {SeedVariable}={seed})";
            using (var system = JournalSystem("write"))
            {
                await WriteRoundAsync(system, random, highest, deletedTo);
                await system.Terminate();
            }

            // Every third run goes to its end, to learn how long a whole run takes now; the others die somewhere in the
            // second half of one, where the index is built and the segments are rewritten (start-up is the first half).
            var full = round % 3 == 1;
            var killAfter = full ? (TimeSpan?)null : fullRun * (0.5 + random.NextDouble() * 0.6);
            var (finished, took) = await RunCompactAsync(killAfter, context);
            if (full)
            {
                fullRun = took;
            }

            completed += finished ? 1 : 0;
            using (var system = JournalSystem("check"))
            {
                for (var id = 0; id < Ids; id++)
                {
                    var (events, reportedHighest) = await ReplayAsync(system, Pid(id));
                    var expected = Enumerable.Range((int)deletedTo[id] + 1, (int)(highest[id] - deletedTo[id])).Select(i => (long)i).ToList();
                    Assert.True(expected.SequenceEqual(events), $"{context}: {Pid(id)} replayed {Describe(events)}, expected {Describe(expected)}");
                    Assert.True(highest[id] == reportedHighest, $"{context}: {Pid(id)} reports highest {reportedHighest}, expected {highest[id]}");
                }

                await system.Terminate();
            }

            var files = Directory.GetFiles(LogPath).Select(Path.GetFileName).Order();
            output.WriteLine($"round {round}: {(killAfter is { } k ? $"killed after {k.TotalMilliseconds:F0} ms" : "ran to its end")}" +
                $"{(finished ? ", finished" : "")}; files {string.Join(" ", files)}");
        }

        output.WriteLine($"{rounds} rounds, {completed} compactions finished, {rounds - completed} killed; every live event replayed after each");
    }

    private static string Pid(int id) => $"entity-{id}";

    private static string Describe(List<long> events) => events.Count == 0 ? "nothing" : $"{events.Count} events {events[0]}..{events[^1]}";

    private ActorSystem JournalSystem(string name) => ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "walactors.persistence.journal"
        walactors.persistence.journal.class = "WalActors.Persistence.WalJournal, WalActors"
        walactors.persistence.journal.directory = {{JsonSerializer.Serialize(LogPath)}}
        walactors.persistence.journal.segment-size = 256 KiB
        walactors.persistence.journal.compaction.enabled = off
        """).WithFallback(WalConfig.Defaults));

    /// <summary>Appends a round's events across the ids, then deletes a random prefix of some of them.</summary>
    private static async Task WriteRoundAsync(ActorSystem system, Random random, long[] highest, long[] deletedTo)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        for (var written = 0; written < EventsPerRound; written += 100)
        {
            var writes = new List<AtomicWrite>();
            for (var i = 0; i < 100; i++)
            {
                var id = random.Next(Ids);
                var sequenceNr = ++highest[id];
                writes.Add(new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
                    new Persistent($"{Pid(id)}-{sequenceNr}-{Filler}", sequenceNr, Pid(id), "", false, ActorRefs.NoSender, "writer"))));
            }

            var done = await Until(system, m => m is WriteMessagesSuccessful or WriteMessagesFailed, reply => journal.Tell(new WriteMessages(writes, reply, 1)));
            Assert.IsType<WriteMessagesSuccessful>(done);
        }

        for (var id = 0; id < Ids; id++)
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            var to = deletedTo[id] + random.NextInt64(0, highest[id] - deletedTo[id] + 1);
            var done = await Until(system, m => m is DeleteMessagesSuccess or DeleteMessagesFailure, reply => journal.Tell(new DeleteMessagesTo(Pid(id), to, reply)));
            Assert.IsType<DeleteMessagesSuccess>(done);
            deletedTo[id] = Math.Max(deletedTo[id], to);
        }
    }

    /// <summary>Runs <c>walactors compact</c>, killing it after <paramref name="killAfter"/>; whether it finished, and how long it ran.</summary>
    private async Task<(bool Finished, TimeSpan Took)> RunCompactAsync(TimeSpan? killAfter, string context)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(WalactorsProcess.StartInfo(null, "compact", "--dir", LogPath)) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        if (killAfter is { } delay)
        {
            var exited = process.WaitForExitAsync(patience.Token);
            if (await Task.WhenAny(exited, Task.Delay(delay, patience.Token)) != exited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await process.WaitForExitAsync(patience.Token);
        var took = clock.Elapsed;
        var finished = process.ExitCode == 0;
        if (killAfter is null || finished)
        {
            Assert.True(finished, $"{context}: walactors compact exited {process.ExitCode}: {await stderr}");
            output.WriteLine((await stdout).Trim());
        }

        return (finished, took);
    }

    private static async Task<(List<long> Events, long Highest)> ReplayAsync(ActorSystem system, string persistenceId)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        var events = new List<long>();
        var done = await Until(system, m =>
        {
            if (m is ReplayedMessage replayed)
            {
                events.Add(replayed.Persistent.SequenceNr);
            }

            return m is RecoverySuccess or ReplayMessagesFailure;
        }, reply => journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, reply)));
        return done is RecoverySuccess success ? (events, success.HighestSequenceNr) : throw new Xunit.Sdk.XunitException($"replay of {persistenceId} failed: {done}");
    }

    private static Task<object> Until(ActorSystem system, Func<object, bool> done, Action<IActorRef> send) => ReplyUntil.Send(system, done, send, Patience);

    private static int? ReadVariable(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
