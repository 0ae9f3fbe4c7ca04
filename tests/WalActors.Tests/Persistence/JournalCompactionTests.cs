using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Persistence;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>
/// Compaction of a journal's log: deleted events and superseded tombstones go, everything replay and the queries see
/// stays, at the same offsets, across restarts; passes start by themselves past the configured dead share.
/// </summary>
public sealed class JournalCompactionTests : JournalTestKit
{
    private const int EventsPerId = 700;
    private static readonly string Filler = new('x', 1000);

    public JournalCompactionTests(ITestOutputHelper output)
        : base(output, "walactors.persistence.journal.compaction.enabled = off")
    {
    }

    [Fact]
    public async Task Deleted_events_are_dropped_and_replays_queries_and_offsets_are_what_they_were()
    {
        WriteInterleaved("a", "b", "c");
        Delete(Journal, CreateTestProbe(), "a", 600);
        Delete(Journal, CreateTestProbe(), "b", 350);
        var before = await OffsetsAsync(Sys);
        var bytesBefore = DirectoryBytes();

        var compacted = Compact(Sys);

        Assert.True(compacted.SegmentsRewritten >= 2, $"{compacted}");
        // The journal writes batches of up to 1 MiB, and a batch that crosses into the next segment is kept whole: with
        // these 1 MiB segments that keeps some dead events; with the default 64 MiB it is a small share.
        Assert.True(compacted.RecordsDropped >= 700, $"{compacted}");
        Assert.True(compacted.BytesAfter < compacted.BytesBefore * 0.8, $"{compacted}");
        Assert.True(DirectoryBytes() < bytesBefore, "the directory did not shrink");
        Assert.Equal(before, await OffsetsAsync(Sys));
        AssertReplays(Sys);

        var restarted = await RestartAsync(Sys);
        try
        {
            Assert.Equal(before, await OffsetsAsync(restarted));
            AssertReplays(restarted);
            var again = Compact(restarted);
            Assert.Equal(0, again.RecordsDropped);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task The_index_loses_the_keys_of_dropped_events_and_keeps_every_key_of_a_surviving_one()
    {
        // Tags that interleave the dropped events with surviving ones in every order the index keeps: "odd" runs through
        // a's dropped events and c's kept ones, "even" through a's and b's.
        static object Payload(string id, long sequenceNr)
        {
            var text = $"{id}-{sequenceNr}-{Filler}";
            var tags = id switch
            {
                "a" => new[] { sequenceNr % 2 == 0 ? "even" : "odd" },
                "b" => ["even"],
                _ => sequenceNr % 3 == 0 ? ["odd"] : [],
            };
            return tags.Length == 0 ? text : new Tagged(text, tags);
        }

        WriteInterleaved(Journal, CreateTestProbe(), Payload, "a", "b", "c");
        var store = StoreOf(Sys);
        while (store.Checkpointer!.CheckpointNow())
        {
        }

        Delete(Journal, CreateTestProbe(), "a", 600);
        Delete(Journal, CreateTestProbe(), "b", 350);
        var before = await TaggedOffsetsAsync(Sys);

        var compacted = Compact(Sys);
        while (store.Checkpointer.CheckpointNow())
        {
        }

        Assert.True(compacted.RecordsDropped >= 700, $"{compacted}");
        var persisted = store.Index.Persisted!;
        var ids = persisted.LoadIds().ToDictionary(i => i.Number, i => i.State);
        var keys = new List<(string Tag, string Id, long SequenceNr)>();
        foreach (var (number, tag) in persisted.LoadTags().Select(t => (t.Number, t.Name)).Prepend((Number: -1, Name: "(all)")))
        {
            persisted.EventsFrom(number < 0 ? null : number, 0, long.MaxValue, (_, id, sequenceNr, _) =>
            {
                keys.Add((tag, ids[id].Id, sequenceNr));
                return true;
            });
        }

        // Every event the pass dropped lost its key in log order; none that survives did, in any order.
        Assert.Equal(3 * EventsPerId - compacted.RecordsDropped, keys.Count(k => k.Tag == "(all)"));
        var surviving = new[] { ("a", 600L), ("b", 350L), ("c", 0L) }
            .SelectMany(d => Enumerable.Range((int)d.Item2 + 1, EventsPerId - (int)d.Item2).Select(n => (Id: d.Item1, SequenceNr: (long)n)))
            .ToList();
        foreach (var (id, sequenceNr) in surviving)
        {
            var tags = Payload(id, sequenceNr) is Tagged tagged ? tagged.Tags.ToArray() : [];
            foreach (var tag in tags.Append("(all)"))
            {
                Assert.True(keys.Contains((tag!, id, sequenceNr)), $"{id}/{sequenceNr} lost its key in '{tag}'");
            }
        }

        // And in each tag's order exactly the events still in the log keep a key: the dropped ones lost theirs there too.
        var inLog = keys.Where(k => k.Tag == "(all)").Select(k => (k.Id, k.SequenceNr)).ToList();
        foreach (var tag in new[] { "even", "odd" })
        {
            Assert.Equal(
                inLog.Where(e => Payload(e.Id, e.SequenceNr) is Tagged tagged && tagged.Tags.Contains(tag)).Order(),
                keys.Where(k => k.Tag == tag).Select(k => (k.Id, k.SequenceNr)).Order());
        }

        Assert.Equal(before, await TaggedOffsetsAsync(Sys));
        var restarted = await RestartAsync(Sys);
        try
        {
            Assert.Equal(before, await TaggedOffsetsAsync(restarted));
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task An_id_deleted_whole_keeps_its_highest_sequence_number_once_its_events_are_gone()
    {
        WriteInterleaved("gone", "kept");
        Delete(Journal, CreateTestProbe(), "gone", 100);
        Delete(Journal, CreateTestProbe(), "gone", 400);
        Delete(Journal, CreateTestProbe(), "gone", long.MaxValue);

        var compacted = Compact(Sys);
        Assert.True(compacted.RecordsDropped > 300, $"{compacted}");

        var restarted = await RestartAsync(Sys);
        try
        {
            var journal = JournalOf(restarted);
            var (gone, highest) = Replay(journal, CreateTestProbe(restarted), "gone");
            Assert.Empty(gone);
            Assert.Equal(EventsPerId, highest);
            var (kept, keptHighest) = Replay(journal, CreateTestProbe(restarted), "kept");
            Assert.Equal(Enumerable.Range(1, EventsPerId).Select(i => (long)i), kept.Select(e => e.SequenceNr));
            Assert.Equal(EventsPerId, keptHighest);

            // The id goes on from its highest number, and what it writes now is not deleted.
            WriteAll(journal, CreateTestProbe(restarted), Atomic(Event("gone", EventsPerId + 1, "again")));
            Assert.Equal(["again"], Replay(journal, CreateTestProbe(restarted), "gone").Events.Select(e => (string)e.Payload));
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task Writes_go_on_while_a_pass_runs_and_every_acknowledged_event_replays_after_it()
    {
        WriteInterleaved("a", "b", "c");
        Delete(Journal, CreateTestProbe(), "a", EventsPerId);
        Delete(Journal, CreateTestProbe(), "b", EventsPerId - 1);
        var probe = CreateTestProbe();
        Journal.Tell(CompactLog.Instance, probe.Ref);

        // Writes sent while the pass runs: each acknowledged before the next is sent.
        var writer = CreateTestProbe();
        var written = 0;
        while (written < 200)
        {
            written++;
            WriteAll(Journal, writer, Atomic(Event("during", written, $"during-{written}")));
            if (probe.HasMessages)
            {
                break;
            }
        }

        var compacted = probe.ExpectMsg<LogCompacted>(TimeSpan.FromSeconds(60));
        Assert.True(compacted.RecordsDropped > 0, $"{compacted}");
        Assert.Equal(Enumerable.Range(1, written).Select(i => $"during-{i}"), Replay("during").Events.Select(e => (string)e.Payload));
        Assert.Equal([(long)EventsPerId], Replay("b").Events.Select(e => e.SequenceNr));
        var restarted = await RestartAsync(Sys);
        try
        {
            var journal = JournalOf(restarted);
            Assert.Equal(written, Replay(journal, CreateTestProbe(restarted), "during").Events.Count);
            Assert.Equal(EventsPerId, Replay(journal, CreateTestProbe(restarted), "c").Events.Count);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void A_journal_with_nothing_deleted_is_left_as_it_is()
    {
        WriteInterleaved("a", "b");
        var compacted = Compact(Sys);
        Assert.Equal(0, compacted.SegmentsRewritten);
        Assert.Equal(compacted.BytesBefore, compacted.BytesAfter);
        Assert.Empty(System.IO.Directory.GetFiles(Directory.Combine("journal"), "*.cseg"));
    }

    [Fact]
    public async Task Compaction_runs_by_itself_once_the_dead_share_passes_the_threshold()
    {
        var system = ActorSystem.Create("auto", PersistenceConfig.For(Directory.Combine("auto"), """
            walactors.persistence.journal.compaction { check-interval = 100ms, dead-share = 0.3, segment-dead-share = 0.2 }
            """));
        try
        {
            var journal = JournalOf(system);
            var probe = CreateTestProbe(system);
            WriteInterleaved(journal, probe, "a", "b");
            Delete(journal, probe, "a", EventsPerId);
            Delete(journal, probe, "b", EventsPerId / 2);

            await AwaitAssertAsync(
                () => Assert.NotEmpty(System.IO.Directory.GetFiles(Directory.Combine("auto"), "*.cseg")),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

            Assert.Equal(Enumerable.Range(EventsPerId / 2 + 1, EventsPerId / 2).Select(i => (long)i), Replay(journal, probe, "b").Events.Select(e => e.SequenceNr));
            var health = await JournalStores.Get(system).For(WalPersistence.JournalPluginId).Compactor.CompactNowAsync();
            Assert.True(health.BytesAfter <= health.BytesBefore);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private void WriteInterleaved(params string[] ids) => WriteInterleaved(Journal, CreateTestProbe(), ids);

    private void WriteInterleaved(IActorRef journal, Akka.TestKit.TestProbe probe, params string[] ids) =>
        WriteInterleaved(journal, probe, (id, sequenceNr) => $"{id}-{sequenceNr}-{Filler}", ids);

    private void WriteInterleaved(IActorRef journal, Akka.TestKit.TestProbe probe, Func<string, long, object> payload, params string[] ids)
    {
        for (var from = 1; from <= EventsPerId; from += 50)
        {
            var writes = new List<AtomicWrite>();
            for (var sequenceNr = from; sequenceNr < from + 50; sequenceNr++)
            {
                writes.AddRange(ids.Select(id => Atomic(Event(id, sequenceNr, payload(id, sequenceNr)))));
            }

            WriteAll(journal, probe, [.. writes]);
        }
    }

    private void AssertReplays(ActorSystem system)
    {
        var journal = JournalOf(system);
        Assert.Equal(Enumerable.Range(601, 100).Select(i => $"a-{i}-{Filler}"), Replay(journal, CreateTestProbe(system), "a").Events.Select(e => (string)e.Payload));
        Assert.Equal(Enumerable.Range(351, 350).Select(i => (long)i), Replay(journal, CreateTestProbe(system), "b").Events.Select(e => e.SequenceNr));
        var (c, highest) = Replay(journal, CreateTestProbe(system), "c");
        Assert.Equal(EventsPerId, c.Count);
        Assert.Equal(EventsPerId, highest);
        Assert.Equal(EventsPerId, Replay(journal, CreateTestProbe(system), "a", 0).Highest);
    }

    /// <summary>Every event all-events and by-id queries deliver, as "id/seq@offset".</summary>
    private static async Task<List<string>> OffsetsAsync(ActorSystem system)
    {
        var queries = PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
        var materializer = system.Materializer();
        var all = await queries.CurrentAllEvents(Offset.NoOffset())
            .Select(e => $"{e.PersistenceId}/{e.SequenceNr}@{((Sequence)e.Offset).Value}")
            .RunWith(Sink.Seq<string>(), materializer);
        var byId = await queries.CurrentEventsByPersistenceId("b", 0, long.MaxValue)
            .Select(e => $"{e.PersistenceId}/{e.SequenceNr}@{((Sequence)e.Offset).Value}")
            .RunWith(Sink.Seq<string>(), materializer);
        return [.. all, "--", .. byId];
    }

    /// <summary>Every event all-events and both tags' queries deliver, as "id/seq@offset".</summary>
    private static async Task<List<string>> TaggedOffsetsAsync(ActorSystem system)
    {
        var queries = PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
        var materializer = system.Materializer();
        var found = new List<string>();
        foreach (var tag in new string?[] { null, "even", "odd" })
        {
            var events = tag is null ? queries.CurrentAllEvents(Offset.NoOffset()) : queries.CurrentEventsByTag(tag, Offset.NoOffset());
            found.Add($"-- {tag ?? "(all)"}");
            found.AddRange(await events.Select(e => $"{e.PersistenceId}/{e.SequenceNr}@{((Sequence)e.Offset).Value}").RunWith(Sink.Seq<string>(), materializer));
        }

        return found;
    }

    private LogCompacted Compact(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        JournalOf(system).Tell(CompactLog.Instance, probe.Ref);
        return probe.ExpectMsg<LogCompacted>(TimeSpan.FromSeconds(60));
    }

    private long DirectoryBytes() =>
        System.IO.Directory.GetFiles(Directory.Combine("journal")).Where(f => f.EndsWith("seg", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
}
