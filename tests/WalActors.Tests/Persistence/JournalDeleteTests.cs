using Akka.Persistence;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>DeleteMessagesTo hides what it deletes, durably, and never lowers the highest sequence number.</summary>
public sealed class JournalDeleteTests : JournalTestKit
{
    private const string Pid = "deleted";

    public JournalDeleteTests(ITestOutputHelper output)
        : base(output)
    {
        WriteFiveEvents(Pid);
    }

    [Fact]
    public void A_range_delete_hides_the_deleted_events_from_replay_and_is_published()
    {
        var deletes = CreateTestProbe();
        Sys.EventStream.Subscribe(deletes.Ref, typeof(DeleteMessagesTo));
        var requester = CreateTestProbe();

        Delete(Journal, requester, Pid, 3);

        Assert.Equal(3, deletes.ExpectMsg<DeleteMessagesTo>().ToSequenceNr);
        var (events, highest) = Replay(Pid);
        Assert.Equal([4L, 5L], events.Select(e => e.SequenceNr));
        Assert.Equal(5, highest);
        requester.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Deleting_everything_up_to_long_MaxValue_keeps_the_highest_sequence_number()
    {
        Delete(Journal, CreateTestProbe(), Pid, long.MaxValue);

        var (events, highest) = Replay(Pid, 0);

        Assert.Empty(events);
        Assert.Equal(5, highest);
    }

    [Fact]
    public void Events_written_after_a_delete_beyond_the_highest_are_not_deleted()
    {
        Delete(Journal, CreateTestProbe(), Pid, long.MaxValue);
        WriteAll(Atomic(Event(Pid, 6, "a-6")));

        var (events, highest) = Replay(Pid);

        Assert.Equal(["a-6"], events.Select(e => (string)e.Payload));
        Assert.Equal(6, highest);
    }

    [Fact]
    public async Task Deletes_and_the_highest_sequence_number_survive_a_restart()
    {
        Delete(Journal, CreateTestProbe(), Pid, 3);
        WriteAll(Atomic(Event("emptied", 1, "e-1")), Atomic(Event("emptied", 2, "e-2")));
        Delete(Journal, CreateTestProbe(), "emptied", long.MaxValue);

        var restarted = await RestartAsync(Sys);
        try
        {
            var journal = JournalOf(restarted);
            var (events, highest) = Replay(journal, CreateTestProbe(restarted), Pid);
            var (emptied, emptiedHighest) = Replay(journal, CreateTestProbe(restarted), "emptied");

            Assert.Equal([4L, 5L], events.Select(e => e.SequenceNr));
            Assert.Equal(5, highest);
            Assert.Empty(emptied);
            Assert.Equal(2, emptiedHighest);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void A_delete_below_an_earlier_one_changes_nothing()
    {
        Delete(Journal, CreateTestProbe(), Pid, 4);
        Delete(Journal, CreateTestProbe(), Pid, 2);

        var (events, _) = Replay(Pid);

        Assert.Equal([5L], events.Select(e => e.SequenceNr));
    }
}
