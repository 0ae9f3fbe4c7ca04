using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.CrashTests.Support;
using WalActors.Persistence;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.CrashTests;

/// <summary>
/// The journal's persisted index killed at random moments: a child process persists events with a checkpoint every
/// few hundred of them and is killed with SIGKILL after a random number of acknowledged chunks (often mid-checkpoint).
/// After every kill the journal, started from whatever checkpoint survived, must answer exactly what a journal that
/// rebuilds its index from the whole log answers: every acknowledged event, once, in order, for every persistence id,
/// by tag and in log order.
/// </summary>
public sealed class IndexKillTests(ITestOutputHelper output) : LogDirectoryTest
{
    private const string SeedVariable = "WALACTORS_KILL_SEED";
    private const string RoundsVariable = "WALACTORS_INDEX_KILL_ROUNDS";
    private const int DefaultRounds = 6;
    private const int Ids = 8;
    private const string ChildHocon = """
        walactors.persistence.journal.index.checkpoint-bytes = 64 KiB
        walactors.persistence.journal.segment-size = 1 MiB
        """;

    private static string Child => Path.Combine(AppContext.BaseDirectory, "WalActors.ProjectionChild.dll");

    private string JournalPath => Path.Combine(LogPath, "journal");

    [Fact]
    public async Task A_journal_started_from_a_killed_checkpoint_answers_as_one_rebuilt_from_the_log()
    {
        var seed = Read(SeedVariable) ?? Random.Shared.Next();
        var rounds = Read(RoundsVariable) ?? DefaultRounds;
        output.WriteLine($"seed {seed} ({SeedVariable}), {rounds} rounds ({RoundsVariable})");
        var random = new Random(seed);
        // Only what a round's child reported written is acknowledged: the chunk it was killed in may be partly in the log
        // (each id's part is its own atomic write), and the next round starts past the highest event there, so the
        // unacknowledged rest of that chunk is never written.
        var acknowledged = new List<int>();
        var fromCheckpoint = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var context = $"round {round} of seed {seed} (replay with {SeedVariable}={seed})";
            var next = await NextEventAsync();
            var start = WalactorsProcess.ProgramStartInfo(Child, null, LogPath, "write", Text(next), Text(200_000));
            start.Environment["WALACTORS_CHILD_HOCON"] = ChildHocon;
            var last = await ChildKill.AfterReportsAsync(start, random.Next(20, 120), Patience);
            var written = int.Parse(last.Split(' ')[1], CultureInfo.InvariantCulture);
            acknowledged.AddRange(Enumerable.Range(next, written - next));

            var (startup, withIndex) = await ViewAsync("checkpointed");
            fromCheckpoint += startup.StartsWith("used its checkpoint", StringComparison.Ordinal) ? 1 : 0;
            System.IO.Directory.Delete(Path.Combine(JournalPath, WalActors.Persistence.Index.IndexSettings.DirectoryName), recursive: true);
            var (_, rebuilt) = await ViewAsync("rebuilt");

            Assert.True(withIndex.SequenceEqual(rebuilt), $"{context}: the checkpointed index ({startup}) answers {withIndex.Count} lines, the rebuilt one {rebuilt.Count}; first difference: " +
                $"{withIndex.Zip(rebuilt).FirstOrDefault(p => p.First != p.Second)}");
            var events = rebuilt.Where(l => l.StartsWith("all\t", StringComparison.Ordinal)).Select(l => l.Split('\t')[3]).ToList();
            Assert.True(events.Count == events.Distinct().Count(), $"{context}: an event appears twice");
            var missing = acknowledged.Select(i => $"e-{i}").Except(events).FirstOrDefault();
            Assert.True(missing is null, $"{context}: the acknowledged event {missing} is gone");
            output.WriteLine($"round {round}: killed after {last}; the start-up {startup}; {events.Count} events, index and rebuild agree");
        }

        output.WriteLine($"{rounds} rounds, {fromCheckpoint} started from a checkpoint a kill left; every acknowledged event found, the index agreeing with a rebuild each time");
        Assert.True(fromCheckpoint > 0, "no round started from a checkpoint: the kills never left one to test");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int? Read(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : null;

    // The next event number to write: one past the highest in the journal, so no payload is written twice.
    private async Task<int> NextEventAsync()
    {
        if (!System.IO.Directory.Exists(JournalPath))
        {
            return 0;
        }

        var (_, view) = await ViewAsync("next");
        return view.Where(l => l.StartsWith("all\t", StringComparison.Ordinal)).Select(l => int.Parse(l.Split('\t')[3][2..], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
    }

    // Everything the journal answers, one line per event: all events in log order (with offsets), by tag, and each id's replay.
    private async Task<(string Startup, List<string> Lines)> ViewAsync(string name)
    {
        using var system = ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "walactors.persistence.journal"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            walactors.persistence.journal.directory = {{JsonSerializer.Serialize(JournalPath)}}
            walactors.persistence.journal.compaction.enabled = off
            """).WithFallback(ConfigurationFactory.ParseString(ChildHocon)).WithFallback(WalPersistence.DefaultConfig()).WithFallback(WalConfig.Defaults));
        try
        {
            var queries = PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
            var lines = new List<string>();
            var all = await queries.CurrentAllEvents(NoOffset.Instance).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(Patience);
            lines.AddRange(all.Select(e => $"all\t{((Sequence)e.Offset).Value}\t{e.PersistenceId}/{e.SequenceNr}\t{e.Event}"));
            var tagged = await queries.CurrentEventsByTag("in", NoOffset.Instance).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(Patience);
            lines.AddRange(tagged.Select(e => $"tag\t{((Sequence)e.Offset).Value}\t{e.PersistenceId}/{e.SequenceNr}\t{e.Event}"));
            var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
            for (var id = 0; id < Ids; id++)
            {
                var replayed = new List<string>();
                var done = await ReplyUntil.Send(system, m =>
                {
                    if (m is ReplayedMessage message)
                    {
                        replayed.Add($"replay\tinput-{id}/{message.Persistent.SequenceNr}\t{message.Persistent.Payload}");
                    }

                    return m is RecoverySuccess or ReplayMessagesFailure;
                }, reply => journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, $"input-{id}", reply)), Patience);
                Assert.IsType<RecoverySuccess>(done);
                lines.AddRange(replayed);
                lines.Add($"highest\tinput-{id}\t{((RecoverySuccess)done).HighestSequenceNr}");
            }

            return (JournalStores.Get(system).For(WalPersistence.JournalPluginId).IndexStartup, lines);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
