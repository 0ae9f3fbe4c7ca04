using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Persistence;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>The read journal: current queries complete, live ones go on; every query delivers each event exactly once, in order.</summary>
public sealed class QueryTests(ITestOutputHelper output) : JournalTestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static WalReadJournal Queries(ActorSystem system) => PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);

    private WalReadJournal Queries() => Queries(Sys);

    [Fact]
    public async Task Current_events_by_persistence_id_delivers_the_range_in_order_and_completes()
    {
        WriteAll(Atomic(Event("a", 1, "a-1")), Atomic(Event("b", 1, "b-1")), Atomic(Event("a", 2, "a-2"), Event("a", 3, "a-3")), Atomic(Event("a", 4, "a-4")));

        var all = await Run(Queries().CurrentEventsByPersistenceId("a", 0, long.MaxValue));
        var middle = await Run(Queries().CurrentEventsByPersistenceId("a", 2, 3));
        var beyond = await Run(Queries().CurrentEventsByPersistenceId("a", 5, long.MaxValue));

        Assert.Equal(["a-1", "a-2", "a-3", "a-4"], all.Select(e => (string)e.Event));
        Assert.Equal([1L, 2L, 3L, 4L], all.Select(e => e.SequenceNr));
        Assert.All(all, e => Assert.Equal("a", e.PersistenceId));
        Assert.Equal(["a-2", "a-3"], middle.Select(e => (string)e.Event));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task Current_events_by_persistence_id_leaves_out_deleted_events()
    {
        WriteAll(Atomic(Event("a", 1, "a-1")), Atomic(Event("a", 2, "a-2")), Atomic(Event("a", 3, "a-3")));
        Delete(Journal, CreateTestProbe(), "a", 2);

        Assert.Equal(["a-3"], (await Run(Queries().CurrentEventsByPersistenceId("a", 0, long.MaxValue))).Select(e => (string)e.Event));

        Delete(Journal, CreateTestProbe(), "a", long.MaxValue);
        Assert.Empty(await Run(Queries().CurrentEventsByPersistenceId("a", 0, long.MaxValue)));
        Assert.Empty(await Run(Queries().CurrentAllEvents(NoOffset.Instance)));
    }

    [Fact]
    public async Task Live_events_by_persistence_id_delivers_existing_then_new_events_and_completes_at_its_upper_bound()
    {
        WriteAll(Atomic(Event("a", 1, "a-1")), Atomic(Event("a", 2, "a-2")));
        var query = Run(Queries().EventsByPersistenceId("a", 2, 4));

        WriteAll(Atomic(Event("b", 1, "b-1")), Atomic(Event("a", 3, "a-3")));
        Assert.False(query.IsCompleted);
        WriteAll(Atomic(Event("a", 4, "a-4")), Atomic(Event("a", 5, "a-5")));

        Assert.Equal(["a-2", "a-3", "a-4"], (await query).Select(e => (string)e.Event));
    }

    [Fact]
    public async Task Current_persistence_ids_lists_each_id_once_and_completes()
    {
        WriteAll(Atomic(Event("a", 1, "x")), Atomic(Event("b", 1, "x")), Atomic(Event("a", 2, "x")), Atomic(Event("c", 1, "x")));

        var ids = await Run(Queries().CurrentPersistenceIds());

        Assert.Equal(["a", "b", "c"], ids);
    }

    [Fact]
    public async Task Live_persistence_ids_delivers_each_new_id_once_however_many_events_it_writes()
    {
        WriteAll(Atomic(Event("a", 1, "x")));
        var ids = new List<string>();
        var stream = Queries().PersistenceIds().RunForeach(id => { lock (ids) { ids.Add(id); } }, Sys.Materializer());

        WriteAll(Enumerable.Range(1, 100).Select(n => Atomic(Event("b", n, "x"))).ToArray());
        WriteAll(Atomic(Event("a", 2, "x")), Atomic(Event("c", 1, "x")));

        await AwaitAssertAsync(() => { lock (ids) { Assert.Equal(["a", "b", "c"], ids); } }, Patience);
        await Task.Delay(200);
        lock (ids)
        {
            Assert.Equal(3, ids.Count);
        }
    }

    [Fact]
    public async Task Current_events_by_tag_delivers_tagged_events_in_log_order_with_tags_and_timestamps_and_completes()
    {
        var before = DateTime.UtcNow.Ticks;
        WriteAll(
            Atomic(Event("a", 1, new Tagged("green apple", ["green", "fruit"]))),
            Atomic(Event("b", 1, new Tagged("black car", ["black"]))),
            Atomic(Event("b", 2, new Tagged("green leaf", ["green"]))),
            Atomic(Event("a", 2, "untagged")));

        var green = await Run(Queries().CurrentEventsByTag("green", NoOffset.Instance));
        var none = await Run(Queries().CurrentEventsByTag("blue", NoOffset.Instance));

        Assert.Equal(["green apple", "green leaf"], green.Select(e => (string)e.Event));
        Assert.Equal(["fruit", "green"], green[0].Tags.Order());
        Assert.All(green, e => Assert.InRange(e.Timestamp, before, DateTime.UtcNow.Ticks));
        Assert.True(((Sequence)green[0].Offset).Value < ((Sequence)green[1].Offset).Value);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Live_events_by_tag_delivers_every_event_exactly_once_in_log_order_while_many_writers_write()
    {
        const int writers = 20, eventsEach = 50;
        var probes = Enumerable.Range(0, writers).Select(_ => CreateTestProbe()).ToList();
        var query = Queries().EventsByTag("t", NoOffset.Instance).Take(writers * eventsEach).RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer());

        // Writers start before, during and after the query attaches; each writer's events go one write call at a time.
        // (Awaited, not blocking: twenty blocked pool threads would starve the continuations the writes complete on.)
        await Task.WhenAll(probes.Select(async (probe, w) =>
        {
            for (var n = 1; n <= eventsEach; n++)
            {
                Journal.Tell(new WriteMessages([Atomic(Event($"w{w}", n, new Tagged($"w{w}-{n}", ["t"])))], probe.Ref, ActorInstanceId));
                await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
                await probe.ExpectMsgAsync<WriteMessageSuccess>();
            }
        }));

        var delivered = await query.WaitAsync(Patience);
        var offsets = delivered.Select(e => ((Sequence)e.Offset).Value).ToList();
        Assert.Equal(writers * eventsEach, delivered.Select(e => (e.PersistenceId, e.SequenceNr)).Distinct().Count());
        Assert.Equal(offsets.Order(), offsets);
        Assert.All(delivered.GroupBy(e => e.PersistenceId), g => Assert.Equal(Enumerable.Range(1, eventsEach).Select(n => (long)n), g.Select(e => e.SequenceNr)));
    }

    [Fact]
    public async Task An_offset_resumes_exactly_after_the_last_event_a_consumer_saw()
    {
        WriteAll(Enumerable.Range(1, 30).Select(n => Atomic(Event(n % 2 == 0 ? "even" : "odd", (n + 1) / 2, new Tagged($"e-{n}", ["all"])))).ToArray());
        var everything = await Run(Queries().CurrentAllEvents(NoOffset.Instance));

        foreach (var stop in new[] { 0, 1, 13, 29 })
        {
            var resumed = await Run(Queries().CurrentAllEvents(everything[stop].Offset));
            var resumedByTag = await Run(Queries().CurrentEventsByTag("all", everything[stop].Offset));
            Assert.Equal(everything.Skip(stop + 1).Select(e => e.Event), resumed.Select(e => e.Event));
            Assert.Equal(everything.Skip(stop + 1).Select(e => e.Event), resumedByTag.Select(e => e.Event));
        }

        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"e-{n}"), everything.Select(e => (string)e.Event));
    }

    [Fact]
    public async Task Live_all_events_from_an_offset_delivers_the_rest_then_new_events()
    {
        WriteAll(Atomic(Event("a", 1, "one")), Atomic(Event("a", 2, "two")));
        var first = (await Run(Queries().CurrentAllEvents(NoOffset.Instance)))[0];

        var live = Queries().AllEvents(first.Offset).Take(3).RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer());
        WriteAll(Atomic(Event("b", 1, "three")), Atomic(Event("b", 2, "four")));

        Assert.Equal(["two", "three", "four"], (await live.WaitAsync(Patience)).Select(e => (string)e.Event));
    }

    [Fact]
    public async Task After_a_restart_queries_deliver_the_same_events_with_the_same_offsets()
    {
        WriteAll(
            Atomic(Event("a", 1, new Tagged("a-1", ["x"]))),
            Atomic(Event("b", 1, new Tagged("b-1", ["x"])), Event("b", 2, new Tagged("b-2", ["y"]))),
            Atomic(Event("a", 2, new Tagged("a-2", ["x"]))));
        Delete(Journal, CreateTestProbe(), "a", 1);
        var before = await Run(Queries().CurrentAllEvents(NoOffset.Instance));
        var tagsBefore = await Run(Queries().CurrentEventsByTag("x", NoOffset.Instance));

        var restarted = await RestartAsync(Sys);
        try
        {
            var after = await Run(Queries(restarted).CurrentAllEvents(NoOffset.Instance), restarted);
            var tagsAfter = await Run(Queries(restarted).CurrentEventsByTag("x", NoOffset.Instance), restarted);
            var ids = await Run(Queries(restarted).CurrentPersistenceIds(), restarted);

            Assert.Equal(["b-1", "b-2", "a-2"], after.Select(e => (string)e.Event));
            Assert.Equal(before.Select(e => e.Offset), after.Select(e => e.Offset));
            Assert.Equal(tagsBefore.Select(e => (e.Offset, e.Event)), tagsAfter.Select(e => (e.Offset, e.Event)));
            Assert.Equal(["a", "b"], ids);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task Current_queries_do_not_see_events_written_after_they_started()
    {
        WriteAll(Enumerable.Range(1, 3000).Select(n => Atomic(Event("a", n, new Tagged($"a-{n}", ["t"])))).ToArray());
        var started = Queries().CurrentEventsByTag("t", NoOffset.Instance).RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer());
        WriteAll(Atomic(Event("a", 3001, new Tagged("late", ["t"]))));

        var delivered = await started.WaitAsync(Patience);

        Assert.True(delivered.Count is 3000 or 3001);
        Assert.Equal(delivered.Select(e => e.SequenceNr), Enumerable.Range(1, delivered.Count).Select(n => (long)n));
    }

    private Task<IImmutableList<T>> Run<T>(Source<T, Akka.NotUsed> source, ActorSystem? system = null) =>
        source.RunWith(Sink.Seq<T>(), (system ?? Sys).Materializer()).WaitAsync(Patience);
}
