using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

/// <summary><c>walactors compact</c> on a journal's log that no process has open.</summary>
public sealed class CompactCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    private string JournalPath => _directory.Combine("journal");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Compact_drops_deleted_events_prints_before_and_after_and_the_journal_replays_the_rest()
    {
        using (var system = JournalSystem())
        {
            await WriteAsync(system, "a", 900);
            await WriteAsync(system, "b", 300);
            await DeleteAsync(system, "a", 850);
        }

        var bytesBefore = SegmentBytes();
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "compact", "--dir", JournalPath);

        Assert.True(exit == 0, stderr);
        var lines = Lines(stdout);
        Assert.Matches(@"^compacted .+: [\d,]+ -> [\d,]+ bytes \([\d.]+%\), \d+ segments rewritten$", lines[0]);
        Assert.Matches(@"^records: [\d,]+ kept, [\d,]+ dropped$", lines[1]);
        Assert.True(SegmentBytes() < bytesBefore * 0.8, $"{SegmentBytes()} of {bytesBefore} bytes left");

        using var reopened = JournalSystem();
        var (events, highest) = await ReplayAsync(reopened, "a");
        Assert.Equal(Enumerable.Range(851, 50).Select(i => (long)i), events);
        Assert.Equal(900, highest);
        Assert.Equal(300, (await ReplayAsync(reopened, "b")).Events.Count);
    }

    [Fact]
    public async Task Compact_of_a_journal_with_nothing_deleted_says_so_and_changes_nothing()
    {
        using (var system = JournalSystem())
        {
            await WriteAsync(system, "a", 1200);
        }

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "compact", "--dir", JournalPath);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("nothing to compact in ", Lines(stdout).Single(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(JournalPath, "*.cseg"));
    }

    [Fact]
    public async Task Compact_refuses_a_journal_in_use_a_missing_directory_and_a_log_of_other_records()
    {
        using (var system = JournalSystem())
        {
            await WriteAsync(system, "a", 10);
            var (inUse, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "compact", "--dir", JournalPath);
            Assert.Equal(4, inUse);
            AssertOneErrorLine(stdout, stderr, "in use");
        }

        var (missing, _, missingError) = WalactorsProcess.Run(_directory.Path, "compact", "--dir", _directory.Combine("nowhere"));
        Assert.Equal(4, missing);
        Assert.Contains("no such directory", missingError, StringComparison.Ordinal);

        var plain = _directory.Combine("plain");
        await TestLogs.WriteAsync(plain, ["\u0042 not a journal record"]);
        var (other, otherOut, otherError) = WalactorsProcess.Run(_directory.Path, "compact", "--dir", plain);
        Assert.Equal(4, other);
        AssertOneErrorLine(otherOut, otherError, "cannot read its record at LSN 0");
    }

    private ActorSystem JournalSystem() => ActorSystem.Create("compact-test", ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "walactors.persistence.journal"
        walactors.persistence.journal.class = "WalActors.Persistence.WalJournal, WalActors"
        walactors.persistence.journal.directory = {{JsonSerializer.Serialize(JournalPath)}}
        walactors.persistence.journal.segment-size = 1 MiB
        walactors.persistence.journal.compaction.enabled = off
        """).WithFallback(WalConfig.Defaults));

    private static async Task WriteAsync(ActorSystem system, string persistenceId, int count)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        var filler = new string('x', 1000);
        for (var from = 1; from <= count; from += 100)
        {
            var writes = Enumerable.Range(from, Math.Min(100, count - from + 1))
                .Select(i => new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
                    new Persistent($"{persistenceId}-{i}-{filler}", i, persistenceId, "", false, ActorRefs.NoSender, "writer"))))
                .ToList();
            var done = await Until(system, m => m is WriteMessagesSuccessful or WriteMessagesFailed, reply => journal.Tell(new WriteMessages(writes, reply, 1)));
            Assert.IsType<WriteMessagesSuccessful>(done);
        }
    }

    private static async Task DeleteAsync(ActorSystem system, string persistenceId, long toSequenceNr)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        var done = await Until(system, m => m is DeleteMessagesSuccess or DeleteMessagesFailure, reply => journal.Tell(new DeleteMessagesTo(persistenceId, toSequenceNr, reply)));
        Assert.IsType<DeleteMessagesSuccess>(done);
    }

    private static async Task<(List<long> Events, long Highest)> ReplayAsync(ActorSystem system, string persistenceId)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        var collector = system.ActorOf(Props.Create(() => new ReplayCollector()));
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, collector));
        return await collector.Ask<(List<long>, long)>(ReplayCollector.Result.Instance, Patience);
    }

    private static Task<object> Until(ActorSystem system, Func<object, bool> done, Action<IActorRef> send) => ReplyUntil.Send(system, done, send, Patience);

    private long SegmentBytes() => Directory.GetFiles(JournalPath).Where(f => f.EndsWith("seg", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);

    /// <summary>Collects a replay's sequence numbers and, once asked after it finished, answers them with the highest.</summary>
    private sealed class ReplayCollector : ReceiveActor
    {
        private readonly List<long> _events = [];
        private long? _highest;
        private IActorRef? _asker;

        public ReplayCollector()
        {
            Receive<ReplayedMessage>(m => _events.Add(m.Persistent.SequenceNr));
            Receive<RecoverySuccess>(m =>
            {
                _highest = m.HighestSequenceNr;
                _asker?.Tell((_events, m.HighestSequenceNr));
            });
            Receive<Result>(_ =>
            {
                _asker = Sender;
                if (_highest is { } highest)
                {
                    Sender.Tell((_events, highest));
                }
            });
        }

        public sealed class Result
        {
            public static readonly Result Instance = new();
        }
    }
}
