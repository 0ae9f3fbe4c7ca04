using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>Replay honours its bounds and limit, in order, and reports the journal's highest sequence number, as Akka's journal specification asks.</summary>
public sealed class JournalReplayTests : JournalTestKit
{
    private const string Pid = "replayed";

    public JournalReplayTests(ITestOutputHelper output)
        : base(output)
    {
        WriteFiveEvents(Pid);
    }

    [Theory]
    [InlineData("all", 1, long.MaxValue, long.MaxValue, new long[] { 1, 2, 3, 4, 5 })]
    [InlineData("from a lower bound", 3, long.MaxValue, long.MaxValue, new long[] { 3, 4, 5 })]
    [InlineData("to an upper bound", 1, 3, long.MaxValue, new long[] { 1, 2, 3 })]
    [InlineData("up to a count", 1, long.MaxValue, 3, new long[] { 1, 2, 3 })]
    [InlineData("between both bounds", 2, 3, long.MaxValue, new long[] { 2, 3 })]
    [InlineData("between both bounds, up to a count", 2, 5, 2, new long[] { 2, 3 })]
    [InlineData("one when the bounds are equal", 2, 2, long.MaxValue, new long[] { 2 })]
    [InlineData("one when the count is one", 2, 4, 1, new long[] { 2 })]
    [InlineData("none when the count is zero", 1, long.MaxValue, 0, new long[0])]
    [InlineData("none when the lower bound is above the upper", 3, 2, long.MaxValue, new long[0])]
    [InlineData("from zero as from the first", 0, long.MaxValue, long.MaxValue, new long[] { 1, 2, 3, 4, 5 })]
    public void Replay_delivers_exactly_the_requested_events_in_order_and_the_highest_sequence_number(string replay, long from, long to, long max, long[] expected)
    {
        var (events, highest) = Replay(Pid, from, to, max);

        Assert.True(expected.SequenceEqual(events.Select(e => e.SequenceNr)), $"replay {replay}: got {string.Join(",", events.Select(e => e.SequenceNr))}");
        Assert.Equal(expected.Select(n => $"a-{n}"), events.Select(e => (string)e.Payload));
        Assert.All(events, e => Assert.Equal(Pid, e.PersistenceId));
        Assert.Equal(5, highest);
    }

    [Fact]
    public void A_replay_after_the_journals_log_stopped_fails_with_the_logs_stop_not_a_format_error()
    {
        Assert.Equal(5, Replay(Pid).Events.Count);
        var log = StoreOf(Sys).Log;
        Watch(log);
        Sys.Stop(log);
        ExpectTerminated(log);

        var probe = CreateTestProbe();
        Journal.Tell(new Akka.Persistence.ReplayMessages(1, long.MaxValue, long.MaxValue, Pid, probe.Ref), probe.Ref);
        var failure = probe.FishForMessage<Akka.Persistence.ReplayMessagesFailure>(m => m is Akka.Persistence.ReplayMessagesFailure, TimeSpan.FromSeconds(30));
        Assert.True(failure.Cause is WalStoppedException or WalFaultedException, $"{failure.Cause}");
    }

    [Fact]
    public void A_persistence_id_that_has_written_nothing_replays_nothing_with_highest_zero()
    {
        var (events, highest) = Replay("never-written", 0);

        Assert.Empty(events);
        Assert.Equal(0, highest);
    }

    [Fact]
    public void Persistence_ids_do_not_see_each_others_events()
    {
        WriteAll(Atomic(Event("other", 1, "b-1")), Atomic(Event(Pid, 6, "a-6")), Atomic(Event("other", 2, "b-2")));

        var (mine, myHighest) = Replay(Pid);
        var (theirs, theirHighest) = Replay("other");

        Assert.Equal(["a-1", "a-2", "a-3", "a-4", "a-5", "a-6"], mine.Select(e => (string)e.Payload));
        Assert.Equal(["b-1", "b-2"], theirs.Select(e => (string)e.Payload));
        Assert.Equal(6, myHighest);
        Assert.Equal(2, theirHighest);
    }

    [Fact]
    public void A_replay_longer_than_a_page_delivers_every_event_in_order_and_honours_its_count_across_pages()
    {
        for (var first = 6; first <= 10_000; first += 500)
        {
            WriteAll(Enumerable.Range(first, Math.Min(500, 10_001 - first)).Select(n => Atomic(Event(Pid, n, $"a-{n}"))).ToArray());
        }

        var (all, highest) = Replay(Pid);
        var (counted, _) = Replay(Pid, from: 100, max: 5_000);

        Assert.Equal(Enumerable.Range(1, 10_000).Select(n => (long)n), all.Select(e => e.SequenceNr));
        Assert.Equal(10_000, highest);
        Assert.Equal(Enumerable.Range(100, 5_000).Select(n => (long)n), counted.Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task Replays_wait_for_a_permit_beyond_max_concurrent_replays()
    {
        var store = WalActors.Persistence.JournalStores.Get(Sys).For(WalActors.Persistence.WalPersistence.JournalPluginId);
        Assert.Equal(64, store.ReplayPermits.CurrentCount);

        // With every permit taken, a replay waits; it runs once one is given back.
        for (var i = 0; i < 64; i++)
        {
            await store.ReplayPermits.WaitAsync();
        }

        var probe = CreateTestProbe();
        Journal.Tell(new Akka.Persistence.ReplayMessages(1, long.MaxValue, long.MaxValue, Pid, probe.Ref), probe.Ref);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        store.ReplayPermits.Release(64);
        probe.ExpectMsg<Akka.Persistence.ReplayedMessage>();
    }
}
