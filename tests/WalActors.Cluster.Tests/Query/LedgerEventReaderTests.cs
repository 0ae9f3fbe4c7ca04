using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Query;
using WalActors.Cluster.Replication;
using WalActors.Persistence;

namespace WalActors.Cluster.Tests.Query;

/// <summary>
/// A query's read of one ledger, against real copies on one node: only committed entries, deletions respected, a
/// resume from a position inside an entry, another copy when one does not answer, and a typed error when none does.
/// </summary>
public sealed class LedgerEventReaderTests : IAsyncLifetime
{
    private const string Ledger = "counter+1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly ClusterQuerySettings Settings = new(TimeSpan.FromMilliseconds(100), PageSize: 2, TimeSpan.FromMilliseconds(500), MaxLedgers: 16);

    private readonly string _directory = Directory.CreateTempSubdirectory("walactors-ledger-reader-").FullName;
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("ledger-reader", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            walactors.cluster.journal.directory = "{{_directory.Replace("\\", "/", StringComparison.Ordinal)}}"
            """).WithFallback(WalClusterJournal.DefaultConfig()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Entries_a_copy_holds_past_the_writers_quorum_end_are_not_delivered()
    {
        var copy = await CopyAsync(Ledger);
        // The writer sent entries 0-2 when its quorum end was 0, then entry 3 when it was 2: only 0 and 1 are committed.
        await ReplicateAsync(copy, 0, [[Event("a", 1)], [Event("a", 2)], [Event("a", 3)]], writerDurableEnd: 0);
        await ReplicateAsync(copy, 3, [[Event("a", 4)]], writerDurableEnd: 2);

        var read = await ReadAsync(Reader(copy), after: null);

        Assert.Equal([("counter|a", 1L), ("counter|a", 2L)], read.Select(e => (e.Event.PersistenceId, e.Event.SequenceNr)));
    }

    [Fact]
    public async Task Deleted_events_are_left_out_and_a_resume_inside_an_entry_starts_right_after_its_position()
    {
        var copy = await CopyAsync(Ledger);
        await ReplicateAsync(copy, 0, [
            [Event("a", 1), Event("a", 2), Event("b", 1)],
            [Event("b", 2)],
            [Tombstone("a", 2, 2)],
            [Event("a", 3), Event("b", 3)],
        ], writerDurableEnd: 0);
        // Commits the four entries above (the filler itself is not committed).
        await ReplicateAsync(copy, 4, [[Event("filler", 1)]], writerDurableEnd: 4);

        var all = (await ReadAsync(Reader(copy), after: null)).Where(e => e.Event.PersistenceId != "counter|filler").ToList();
        Assert.Equal(["b1@0.2", "b2@1.0", "a3@3.0", "b3@3.1"], all.Select(Describe));

        // From an envelope's position: exactly the events after it, whichever entry they are in.
        var resumed = (await ReadAsync(Reader(copy), after: new LedgerPosition(0, 2))).Where(e => e.Event.PersistenceId != "counter|filler");
        Assert.Equal(["b2@1.0", "a3@3.0", "b3@3.1"], resumed.Select(Describe));
        var inside = (await ReadAsync(Reader(copy), after: new LedgerPosition(3, 0))).Where(e => e.Event.PersistenceId != "counter|filler");
        Assert.Equal(["b3@3.1"], inside.Select(Describe));
    }

    [Fact]
    public async Task A_copy_that_does_not_answer_is_passed_over_for_the_next_one()
    {
        var copy = await CopyAsync(Ledger);
        await ReplicateAsync(copy, 0, [[Event("a", 1)], [Event("a", 2)]], writerDurableEnd: 0);
        await ReplicateAsync(copy, 2, [[Event("filler", 1)]], writerDurableEnd: 2);
        var reader = new LedgerCopyReader(Ledger, [Silent, _ => Task.FromResult(copy)], Settings);

        var read = (await ReadAsync(reader, after: null)).Where(e => e.Event.PersistenceId != "counter|filler");

        Assert.Equal(["a1@0.0", "a2@1.0"], read.Select(Describe));
    }

    [Fact]
    public async Task A_ledger_none_of_whose_copies_answers_fails_the_stream_with_a_quorum_error_in_bounded_time()
    {
        var reader = new LedgerCopyReader(Ledger, [Silent, Silent, Silent], Settings);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<LedgerQuorumException>(() => ReadAsync(reader, after: null));

        Assert.Equal(Ledger, error.Ledger);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"the stream failed only after {started.Elapsed}");
    }

    private static string Describe(LedgerEvent e) =>
        $"{e.Event.PersistenceId.Split('|')[1]}{e.Event.SequenceNr}@{e.Position.Entry}.{e.Position.Record}";

    private static byte[] Event(string entity, long sequenceNr) =>
        JournalRecordCodec.EncodeEvent($"counter|{entity}", sequenceNr, [], "writer", 1, 0, string.Empty, string.Empty, [1, 2, 3]);

    private static byte[] Tombstone(string entity, long deletedTo, long highest) =>
        JournalRecordCodec.EncodeTombstone(new JournalTombstone($"counter|{entity}", deletedTo, highest));

    private static async Task ReplicateAsync(IActorRef copy, long first, byte[][][] entries, long writerDurableEnd)
    {
        var batch = new ReplicateBatch(Ledger, 1, first, [.. entries.Select(records => new LedgerEntry(1, LedgerEntryCodec.Encode(records)))], writerDurableEnd);
        Assert.IsType<Replicated>(await copy.Ask<object>(batch, Patience));
    }

    // A host that never answers (no actor at its path): the ask times out as a down node's would.
    private async Task<IActorRef> Silent(TimeSpan timeout) =>
        (await _system.ActorSelection("/system/no-such-host").Ask<ReplicaReady>(new EnsureReplica(Ledger), timeout)).Replica;

    private static LedgerCopyReader Reader(IActorRef copy) => new(Ledger, [_ => Task.FromResult(copy)], Settings);

    private async Task<IActorRef> CopyAsync(string ledger) =>
        (await LedgerReplicas.Get(_system).Host.Ask<ReplicaReady>(new EnsureReplica(ledger), Patience)).Replica;

    private Task<System.Collections.Immutable.IImmutableList<LedgerEvent>> ReadAsync(LedgerCopyReader reader, LedgerPosition? after) =>
        Source.From(() => LedgerEventReader.ReadAsync(reader, after, _ => true, live: false, Settings.RefreshInterval))
            .RunWith(Sink.Seq<LedgerEvent>(), _system.Materializer())
            .WaitAsync(Patience);
}
