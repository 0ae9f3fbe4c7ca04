using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using WalActors.Format;
using WalActors.Storage;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>What a write keeps, what it rejects, and that an atomic write is one unit in the log.</summary>
public sealed class JournalWriteTests(ITestOutputHelper output) : JournalTestKit(output)
{
    [Fact]
    public async Task An_atomic_write_lies_within_one_atomic_batch_in_the_log()
    {
        WriteAll(Atomic(Event("p", 1, "x"), Event("p", 2, "y"), Event("p", 3, "z")));
        WriteAll(Atomic(Event("p", 4, "single")));
        await Sys.Terminate();

        using var store = SegmentedStore.OpenReadOnly(Directory.Combine("journal"));
        using var scanner = new RecordScanner(store, store.Head, store.Length, 1024 * 1024);
        var kinds = new List<FrameKind>();
        while (scanner.Next(out var record) == ScanStatus.Record)
        {
            kinds.Add(record.Kind);
        }

        // Written one call at a time, each atomic write is its own batch: First, Middle, Last, then a single record; the
        // clean close left its marker after them.
        Assert.Equal([FrameKind.First, FrameKind.Middle, FrameKind.Last, FrameKind.Full, FrameKind.Marker], kinds);
    }

    [Fact]
    public async Task An_atomic_write_torn_by_a_crash_replays_none_of_its_events()
    {
        WriteAll(Atomic(Event("p", 1, "kept")));
        WriteAll(Atomic(Event("p", 2, "torn-1"), Event("p", 3, "torn-2")));
        await Sys.Terminate();
        // A crash that kept the batch's first frame but not its last: zero everything from the last frame on (the close
        // marker goes too: a crash leaves none).
        var lastFrame = LastFrameLsn(Directory.Combine("journal"));
        WalActors.Tests.Support.TestLog.ForgetCleanClose(Directory.Combine("journal"));
        var segment = Path.Combine(Directory.Combine("journal"), WalActors.Storage.SegmentFileNames.For(0));
        using (var file = File.OpenWrite(segment))
        {
            file.Position = lastFrame;
            file.Write(new byte[4096]);
        }

        var restarted = ActorSystem.Create("restarted", PersistenceConfig.For(Directory.Combine("journal")));
        try
        {
            var (events, highest) = Replay(JournalOf(restarted), CreateTestProbe(restarted), "p");
            Assert.Equal(["kept"], events.Select(e => (string)e.Payload));
            Assert.Equal(1, highest);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void A_write_is_appended_while_the_journal_is_still_busy_with_the_requests_behind_it()
    {
        // A recovery storm fills the journal's mailbox; a queued write must not wait for the mailbox to drain, or Akka's
        // circuit breaker (timing the call from its start) trips on it.
        using var blocker = new BlocksSerialization();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        Journal.Tell(new WriteMessages([Atomic(Event("p", 1, "first"))], first.Ref, ActorInstanceId));
        Journal.Tell(new WriteMessages([Atomic(Event("q", 1, blocker))], second.Ref, ActorInstanceId));
        Assert.True(blocker.WaitEntered(TimeSpan.FromSeconds(30)), "the journal never started the second call");

        first.ExpectMsg<WriteMessagesSuccessful>();
        Assert.Equal(1, first.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        Assert.False(blocker.IsReleased);

        blocker.Release();
        second.ExpectMsg<WriteMessagesSuccessful>();
        Assert.Equal(1, second.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        Assert.Equal(["first"], Replay("p").Events.Select(e => (string)e.Payload));
    }

    [Fact]
    public void A_write_that_cannot_be_serialized_is_rejected_alone_and_the_others_are_stored()
    {
        var probe = CreateTestProbe();
        var writes = new[] { Atomic(Event("p", 1, "b-1")), Atomic(Event("p", 2, new NotSerializable())), Atomic(Event("p", 3, "b-3")) };

        Journal.Tell(new WriteMessages(writes, probe.Ref, ActorInstanceId));

        probe.ExpectMsg<WriteMessagesSuccessful>();
        Assert.Equal(1, probe.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        var rejected = probe.ExpectMsg<WriteMessageRejected>();
        Assert.Equal(2, rejected.Persistent.SequenceNr);
        Assert.NotNull(rejected.Cause);
        Assert.Equal(3, probe.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        Assert.Equal(["b-1", "b-3"], Replay("p").Events.Select(e => (string)e.Payload));
    }

    [Fact]
    public void An_atomic_write_with_one_unserializable_event_stores_none_of_its_events()
    {
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages([Atomic(Event("p", 1, "fine"), Event("p", 2, new NotSerializable()))], probe.Ref, ActorInstanceId));

        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageRejected>();
        probe.ExpectMsg<WriteMessageRejected>();
        Assert.Empty(Replay("p").Events);
    }

    [Fact]
    public void An_event_larger_than_the_log_accepts_is_rejected_not_failed()
    {
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages([Atomic(Event("p", 1, new string('x', 2 * 1024 * 1024))), Atomic(Event("p", 2, "small"))], probe.Ref, ActorInstanceId));

        probe.ExpectMsg<WriteMessagesSuccessful>();
        Assert.IsType<RecordTooLargeException>(probe.ExpectMsg<WriteMessageRejected>().Cause);
        probe.ExpectMsg<WriteMessageSuccess>();
        Assert.Equal(["small"], Replay("p").Events.Select(e => (string)e.Payload));
    }

    [Fact]
    public void Events_needing_transport_information_are_serialized_and_replayed_with_their_fields()
    {
        var referenced = CreateTestProbe().Ref;
        var probe = CreateTestProbe();
        Assert.ThrowsAny<Exception>(() => new TestPayloadSerializer((ExtendedActorSystem)Sys).ToBinary(new TestPayload(referenced)));
        Journal.Tell(new WriteMessages([Atomic(Event("p", 1, new TestPayload(referenced)))], probe.Ref, ActorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        var written = probe.ExpectMsg<WriteMessageSuccess>().Persistent;

        var replayed = Assert.Single(Replay("p").Events);

        Assert.Equal(new TestPayload(referenced), replayed.Payload);
        Assert.Equal(written.WriterGuid, replayed.WriterGuid);
        Assert.Equal(written.PersistenceId, replayed.PersistenceId);
        Assert.Equal(written.SequenceNr, replayed.SequenceNr);
        Assert.True(replayed.Sender is null || replayed.Sender.IsNobody() || replayed.Sender.Equals(Sys.DeadLetters));
    }

    [Fact]
    public void Each_event_keeps_its_serializer_and_type_manifest()
    {
        WriteAll(Atomic(Event("p", 1, new ManifestedEvent("typed")), Event("p", 2, new TestPayload(TestActor)), Event("p", 3, "json")));

        var events = Replay("p").Events;

        Assert.Equal(new ManifestedEvent("typed"), events[0].Payload);
        Assert.Equal(new TestPayload(TestActor), events[1].Payload);
        Assert.Equal("json", events[2].Payload);
    }

    [Fact]
    public void The_event_adapter_manifest_is_kept_apart_from_the_serializer_manifest()
    {
        WriteAll(Atomic(Event("p", 1, new TestPayload(TestActor), manifest: "adapter-v2")), Atomic(Event("p", 2, "plain")));

        var events = Replay("p").Events;

        Assert.Equal("adapter-v2", events[0].Manifest);
        Assert.Equal(new TestPayload(TestActor), events[0].Payload);
        Assert.Equal(string.Empty, events[1].Manifest);
    }

    [Fact]
    public async Task Writer_guid_and_the_stamped_timestamp_come_back_the_same_on_every_replay_and_after_a_restart()
    {
        var before = DateTime.UtcNow.Ticks;
        WriteAll(Atomic(Event("p", 1, "a")), Atomic(Event("p", 2, "b"), Event("p", 3, "c")));
        var after = DateTime.UtcNow.Ticks;

        var first = Replay("p").Events;
        var restarted = await RestartAsync(Sys);
        try
        {
            var again = Replay(JournalOf(restarted), CreateTestProbe(restarted), "p").Events;

            Assert.All(first.Concat(again), e => Assert.Equal(WriterGuid, e.WriterGuid));
            Assert.All(first, e => Assert.InRange(e.Timestamp, before, after));
            Assert.Equal(first.Select(e => e.Timestamp), again.Select(e => e.Timestamp));
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void Tagged_events_are_stored_unwrapped_and_replay_as_the_bare_event()
    {
        WriteAll(Atomic(Event("p", 1, new Tagged("tagged-event", ["green", "fruit"]))));

        var replayed = Assert.Single(Replay("p").Events);

        Assert.Equal("tagged-event", replayed.Payload);
    }

    [Fact]
    public async Task The_highest_sequence_number_and_events_survive_a_restart()
    {
        WriteAll(Atomic(Event("p", 1, "a")), Atomic(Event("p", 2, "b"), Event("p", 3, "c")));

        var restarted = await RestartAsync(Sys);
        try
        {
            var (events, highest) = Replay(JournalOf(restarted), CreateTestProbe(restarted), "p");
            Assert.Equal(["a", "b", "c"], events.Select(e => (string)e.Payload));
            Assert.Equal(3, highest);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void Several_write_calls_in_flight_at_once_all_land_in_order_per_persistence_id()
    {
        var probes = Enumerable.Range(0, 20).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < probes.Count; i++)
        {
            var writes = Enumerable.Range(1, 10).Select(n => Atomic(Event($"p{i}", n, $"p{i}-{n}"))).ToArray();
            Journal.Tell(new WriteMessages(writes, probes[i].Ref, ActorInstanceId));
        }

        foreach (var probe in probes)
        {
            probe.ExpectMsg<WriteMessagesSuccessful>();
            for (var n = 1; n <= 10; n++)
            {
                Assert.Equal(n, probe.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
            }
        }

        for (var i = 0; i < probes.Count; i++)
        {
            Assert.Equal(Enumerable.Range(1, 10).Select(n => $"p{i}-{n}"), Replay($"p{i}").Events.Select(e => (string)e.Payload));
        }
    }

    [Fact]
    public void The_highest_sequence_number_asked_while_a_write_is_in_flight_includes_that_write()
    {
        var writer = CreateTestProbe();
        var reader = CreateTestProbe();
        var writes = Enumerable.Range(1, 200).Select(n => Atomic(Event("racing", n, $"r-{n}"))).ToArray();

        // No wait between the two: the replay's highest-sequence-number read races the write.
        Journal.Tell(new WriteMessages(writes, writer.Ref, ActorInstanceId));
        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "racing", reader.Ref));

        var replayed = 0;
        object reply;
        while ((reply = reader.ReceiveOne(TimeSpan.FromSeconds(30))!) is ReplayedMessage)
        {
            replayed++;
        }

        Assert.Equal(200, Assert.IsType<RecoverySuccess>(reply).HighestSequenceNr);
        Assert.Equal(200, replayed);
    }

    private static long LastFrameLsn(string directory)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        using var scanner = new RecordScanner(store, store.Head, store.Length, 1024 * 1024);
        long last = -1;
        while (scanner.Next(out var record) == ScanStatus.Record)
        {
            if (record.Kind != FrameKind.Marker)
            {
                last = record.Lsn;
            }
        }

        return last;
    }
}
