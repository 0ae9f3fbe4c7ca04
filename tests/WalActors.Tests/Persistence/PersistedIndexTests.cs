using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Persistence;
using WalActors.Persistence.Index;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>
/// The journal's persisted index: a start-up loads its checkpoint and scans only the log after it; memory keeps only
/// what no checkpoint covers; a checkpoint that is missing, torn or belongs to another log is rebuilt from the log,
/// and every replay and query answers exactly what it did before.
/// </summary>
public sealed class PersistedIndexTests(ITestOutputHelper output) : JournalTestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] Ids = ["a", "b", "c"];

    private string IndexDirectory => Path.Combine(Directory.Combine("journal"), IndexSettings.DirectoryName);

    [Fact]
    public async Task A_replay_of_interleaved_events_reads_their_records_and_nothing_else_from_disk_and_memory()
    {
        // One id's events between another's, half of them checkpointed: each is read by its own length.
        var filler = new string('p', 300);
        WriteAll([.. Enumerable.Range(1, 40).Select(n => Atomic(Event(n % 2 == 0 ? "mine" : "other", (n + 1) / 2, $"{n}-{filler}")))]);
        Assert.True(StoreOf(Sys).Checkpointer!.CheckpointNow());
        WriteAll([.. Enumerable.Range(41, 40).Select(n => Atomic(Event(n % 2 == 0 ? "mine" : "other", (n + 1) / 2, $"{n}-{filler}")))]);
        var store = StoreOf(Sys);
        var frames = store.Index.EventsOf("mine", 1, long.MaxValue, long.MaxValue).Sum(e => (long)e.Length);
        var payloads = Replay("mine").Events.Count * (filler.Length + 3);

        var before = store.BytesRead;
        var replayed = Replay("mine").Events;
        var read = store.BytesRead - before;

        Assert.Equal(40, replayed.Count);
        Assert.Equal(frames, read);
        Assert.True(read <= 2 * payloads, $"{read} bytes read for {payloads} bytes of events");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_restart_after_a_clean_stop_loads_the_checkpoint_and_answers_as_before()
    {
        WriteMixed(0, 40);
        var before = await SnapshotAsync(Sys);

        var restarted = await RestartAsync(Sys);
        try
        {
            var after = await SnapshotAsync(restarted);
            var store = StoreOf(restarted);
            Assert.StartsWith("used its checkpoint", store.IndexStartup);
            Assert.Equal(0, store.Index.EventsInMemory); // the stop's checkpoint covered every event
            Assert.Equal(before, after);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task Reads_that_span_disk_and_memory_deliver_each_event_once_in_order()
    {
        WriteMixed(0, 30);
        Assert.True(StoreOf(Sys).Checkpointer!.CheckpointNow());
        Assert.Equal(0, StoreOf(Sys).Index.EventsInMemory);
        WriteMixed(30, 30);
        Assert.Equal(30, StoreOf(Sys).Index.EventsInMemory);

        var snapshot = await SnapshotAsync(Sys);
        Assert.Equal(Enumerable.Range(0, 60).Where(n => n % 3 == 0).Select(n => $"e-{n}"), snapshot.ById["a"]);
        Assert.Equal(Enumerable.Range(0, 60).Where(n => n % 2 == 0).Select(n => $"e-{n}"), snapshot.ByTag["even"]);
        Assert.Equal(Enumerable.Range(0, 60).Select(n => $"e-{n}"), snapshot.All);

        // Resuming from an offset on disk and from one in memory.
        var all = await Run(Queries(Sys).CurrentAllEvents(NoOffset.Instance), Sys);
        Assert.Equal(Enumerable.Range(11, 49).Select(n => $"e-{n}"), (await Run(Queries(Sys).CurrentAllEvents(all[10].Offset), Sys)).Select(e => (string)e.Event));
        Assert.Equal(Enumerable.Range(41, 19).Select(n => $"e-{n}"), (await Run(Queries(Sys).CurrentAllEvents(all[40].Offset), Sys)).Select(e => (string)e.Event));
    }

    [Fact]
    public async Task A_checkpoint_moves_the_events_to_disk_and_memory_keeps_the_ids_only()
    {
        WriteMixed(0, 300);
        var store = StoreOf(Sys);
        Assert.Equal(300, store.Index.EventsInMemory);

        Assert.True(store.Checkpointer!.CheckpointNow());

        Assert.Equal(0, store.Index.EventsInMemory);
        Assert.Equal(store.Index.IndexedEnd, store.Index.CoveredEnd);
        Assert.False(store.Checkpointer.CheckpointNow()); // nothing new to write
        Assert.Equal(100, Replay("a").Events.Count);
        Assert.Equal("e-299", (string)Replay("c").Events[^1].Payload);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Deletes_after_a_checkpoint_hide_the_events_on_disk_before_and_after_a_restart()
    {
        WriteMixed(0, 30);
        Assert.True(StoreOf(Sys).Checkpointer!.CheckpointNow());
        Delete(Journal, CreateTestProbe(), "a", 4);
        Assert.True(StoreOf(Sys).Checkpointer!.CheckpointNow());

        Assert.Equal(["e-12", "e-15", "e-18", "e-21", "e-24", "e-27"], Replay("a").Events.Select(e => (string)e.Payload));
        var restarted = await RestartAsync(Sys);
        try
        {
            var (events, highest) = Replay(JournalOf(restarted), CreateTestProbe(restarted), "a");
            Assert.Equal(6, events.Count);
            Assert.Equal(10, highest);
            var tagged = await Run(Queries(restarted).CurrentEventsByTag("even", NoOffset.Instance), restarted);
            Assert.DoesNotContain(tagged, e => e.PersistenceId == "a" && e.SequenceNr <= 4);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task A_missing_index_is_rebuilt_from_the_log()
    {
        WriteMixed(0, 40);
        var before = await SnapshotAsync(Sys);
        await Sys.Terminate();
        System.IO.Directory.Delete(IndexDirectory, recursive: true);

        await AssertRebuiltAsync(before, "no checkpoint");
    }

    [Fact]
    public async Task A_torn_index_is_rebuilt_from_the_log()
    {
        WriteMixed(0, 40);
        var before = await SnapshotAsync(Sys);
        await Sys.Terminate();
        foreach (var file in System.IO.Directory.EnumerateFiles(IndexDirectory))
        {
            // Every file cut to half its length: RocksDB's own manifest, its tables, whatever it wrote.
            using var stream = File.Open(file, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        }

        await AssertRebuiltAsync(before, null);
    }

    [Fact]
    public async Task The_index_of_another_log_is_detected_and_rebuilt()
    {
        WriteMixed(0, 40);
        await Sys.Terminate();
        var other = Directory.Combine("other");
        var otherSystem = ActorSystem.Create("other", PersistenceConfig.For(other));
        try
        {
            WriteAll(JournalOf(otherSystem), CreateTestProbe(otherSystem), [.. Enumerable.Range(1, 50).Select(n => Atomic(Event("z", n, new Tagged($"z-{n}", ["even"]))))]);
        }
        finally
        {
            await otherSystem.Terminate();
        }

        // The index of a longer log beside this one: its checkpoint lies within this log, but the record it checks is not its own.
        System.IO.Directory.Delete(IndexDirectory, recursive: true);
        CopyDirectory(Path.Combine(other, IndexSettings.DirectoryName), IndexDirectory);
        var restarted = ActorSystem.Create("restarted", PersistenceConfig.For(Directory.Combine("journal"), ExtraHocon));
        try
        {
            var store = StoreOf(restarted);
            await store.Ready.WaitAsync(Patience);
            Assert.StartsWith("rebuilt", store.IndexStartup);
            Assert.Empty(Replay(JournalOf(restarted), CreateTestProbe(restarted), "z").Events);
            Assert.Equal(14, Replay(JournalOf(restarted), CreateTestProbe(restarted), "a").Events.Count);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task A_checkpoint_past_the_end_of_a_cut_log_is_detected_and_rebuilt()
    {
        WriteMixed(0, 20);
        Assert.True(StoreOf(Sys).Checkpointer!.CheckpointNow());
        var keep = StoreOf(Sys).Index.IndexedEnd;
        WriteMixed(20, 20);
        await Sys.Terminate();

        // The log as a backup taken earlier would have it, with the index as it is now.
        WalActors.Tests.Support.TestLog.ForgetCleanClose(Directory.Combine("journal"));
        using (var segment = File.OpenWrite(Path.Combine(Directory.Combine("journal"), WalActors.Storage.SegmentFileNames.For(0))))
        {
            segment.Position = keep;
            segment.Write(new byte[segment.Length - keep]);
        }

        var restarted = ActorSystem.Create("restarted", PersistenceConfig.For(Directory.Combine("journal"), ExtraHocon));
        try
        {
            var store = StoreOf(restarted);
            await store.Ready.WaitAsync(Patience);
            Assert.Contains("the log ends at", store.IndexStartup);
            var all = await Run(Queries(restarted).CurrentAllEvents(NoOffset.Instance), restarted);
            Assert.Equal(Enumerable.Range(0, 20).Select(n => $"e-{n}"), all.Select(e => (string)e.Event));
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task After_a_rebuild_checkpoints_write_the_log_away_a_slice_at_a_time()
    {
        await Sys.Terminate();
        var directory = Directory.Combine("long");
        const string Slices = """
            walactors.persistence.journal.index.max-events-per-checkpoint = 300
            walactors.persistence.journal.index.checkpoint-bytes = 1 GiB
            walactors.persistence.journal.index.checkpoint-interval = 1h
            """;
        var writer = ActorSystem.Create("writer", PersistenceConfig.For(directory, "walactors.persistence.journal.index.persisted = off"));
        try
        {
            WriteAll(JournalOf(writer), CreateTestProbe(writer), [.. Enumerable.Range(1, 2000).Select(n => Atomic(Event($"id-{n % 7}", (n / 7) + 1, $"{n}")))]);
        }
        finally
        {
            await writer.Terminate();
        }

        var rebuilding = ActorSystem.Create("rebuilding", PersistenceConfig.For(directory, Slices));
        try
        {
            var store = StoreOf(rebuilding);
            await store.Ready.WaitAsync(Patience);
            Assert.StartsWith("rebuilt", store.IndexStartup);
            Assert.Equal(2000, store.Index.EventsInMemory);

            // Each checkpoint takes the 300 oldest; replays read across disk and memory the same after each.
            for (var left = 2000; left > 0; left = Math.Max(0, left - 300))
            {
                Assert.Equal(left, store.Index.EventsInMemory);
                Assert.Equal(2000, Enumerable.Range(0, 7).Sum(k => Replay(JournalOf(rebuilding), CreateTestProbe(rebuilding), $"id-{k}").Events.Count));
                Assert.True(store.Checkpointer!.CheckpointNow());
            }

            Assert.Equal(0, store.Index.EventsInMemory);
            Assert.Equal(store.Index.IndexedEnd, store.Index.CoveredEnd);
        }
        finally
        {
            await rebuilding.Terminate();
        }
    }

    [Fact]
    public async Task With_the_index_off_nothing_is_written_beside_the_log()
    {
        await Sys.Terminate();
        var directory = Directory.Combine("in-memory");
        var system = ActorSystem.Create("off", PersistenceConfig.For(directory, "walactors.persistence.journal.index.persisted = off"));
        try
        {
            WriteAll(JournalOf(system), CreateTestProbe(system), Atomic(Event("a", 1, "x")));
            Assert.Null(StoreOf(system).Checkpointer);
            Assert.False(System.IO.Directory.Exists(Path.Combine(directory, IndexSettings.DirectoryName)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static WalReadJournal Queries(ActorSystem system) => PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);

    private static Task<IImmutableList<T>> Run<T>(Source<T, Akka.NotUsed> source, ActorSystem system) =>
        source.RunWith(Sink.Seq<T>(), system.Materializer()).WaitAsync(Patience);

    private static void CopyDirectory(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    // Events e-{first}..: ids a, b, c in turn, tagged even/odd by their number.
    private void WriteMixed(int first, int count)
    {
        WriteAll([.. Enumerable.Range(first, count).Select(n => Atomic(Event(Ids[n % 3], (n / 3) + 1, new Tagged($"e-{n}", [n % 2 == 0 ? "even" : "odd"]))))]);
    }

    private async Task AssertRebuiltAsync(IndexView before, string? reason)
    {
        var restarted = ActorSystem.Create("restarted", PersistenceConfig.For(Directory.Combine("journal"), ExtraHocon));
        try
        {
            var store = StoreOf(restarted);
            await store.Ready.WaitAsync(Patience);
            Assert.StartsWith("rebuilt", store.IndexStartup);
            if (reason is not null)
            {
                Assert.Contains(reason, store.IndexStartup);
            }

            Assert.Equal(before, await SnapshotAsync(restarted));

            // The rebuilt index checkpoints again, and the next start uses it.
            Assert.True(store.Checkpointer!.CheckpointNow());
        }
        finally
        {
            await restarted.Terminate();
        }

        var again = ActorSystem.Create("again", PersistenceConfig.For(Directory.Combine("journal"), ExtraHocon));
        try
        {
            var store = StoreOf(again);
            await store.Ready.WaitAsync(Patience);
            Assert.StartsWith("used its checkpoint", store.IndexStartup);
            Assert.Equal(before, await SnapshotAsync(again));
        }
        finally
        {
            await again.Terminate();
        }
    }

    private async Task<IndexView> SnapshotAsync(ActorSystem system)
    {
        var journal = JournalOf(system);
        var probe = CreateTestProbe(system);
        var byId = Ids.ToDictionary(id => id, id => string.Join(",", Replay(journal, probe, id).Events.Select(e => (string)e.Payload)));
        var even = await Run(Queries(system).CurrentEventsByTag("even", NoOffset.Instance), system);
        var all = await Run(Queries(system).CurrentAllEvents(NoOffset.Instance), system);
        var ids = await Run(Queries(system).CurrentPersistenceIds(), system);
        return new IndexView(
            byId.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)),
            new Dictionary<string, IReadOnlyList<string>> { ["even"] = [.. even.Select(e => (string)e.Event)] },
            [.. all.Select(e => (string)e.Event)],
            [.. all.Select(e => ((Sequence)e.Offset).Value)],
            [.. ids.Order(StringComparer.Ordinal)]);
    }

    private sealed record IndexView(
        IReadOnlyDictionary<string, IReadOnlyList<string>> ById,
        IReadOnlyDictionary<string, IReadOnlyList<string>> ByTag,
        IReadOnlyList<string> All,
        IReadOnlyList<long> Offsets,
        IReadOnlyList<string> Ids)
    {
        public bool Equals(IndexView? other) =>
            other is not null
            && ById.Count == other.ById.Count && ById.All(p => other.ById.TryGetValue(p.Key, out var o) && p.Value.SequenceEqual(o))
            && ByTag.Count == other.ByTag.Count && ByTag.All(p => other.ByTag.TryGetValue(p.Key, out var o) && p.Value.SequenceEqual(o))
            && All.SequenceEqual(other.All) && Offsets.SequenceEqual(other.Offsets) && Ids.SequenceEqual(other.Ids);

        public override int GetHashCode() => All.Count;
    }
}
