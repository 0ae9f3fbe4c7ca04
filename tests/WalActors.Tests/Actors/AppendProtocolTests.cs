using Akka.Actor;
using WalActors.Format;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class AppendProtocolTests(ITestOutputHelper output) : WalTestKit(output)
{
    // Recovery syncs the store once before the log is ready: a crashed predecessor may have left writes unsynced, and
    // every frame written afterwards claims the recovered log durable.
    private const int RecoverySyncs = 1;

    [Fact]
    public void The_first_record_of_an_empty_log_is_at_lsn_zero_and_the_next_follows_its_frame()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);

        log.Tell(new Append(Payload(1), CorrelationId: "a"));
        log.Tell(new Append(Payload(2), CorrelationId: "b"));

        var first = ExpectMsg<Appended>();
        var second = ExpectMsg<Appended>();
        Assert.Equal(new Appended(Lsn.Zero, "a"), first);
        Assert.Equal(new Appended(new Lsn(FrameCodec.FrameSize(Payload(1).Length)), "b"), second);
        DurabilityOracle.AssertDurable(store.DurableImage, second.Lsn.Value, Payload(2));
    }

    [Fact]
    public void A_batch_is_acknowledged_once_with_consecutive_lsns_in_order()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        var payloads = Enumerable.Range(0, 5).Select(i => (ReadOnlyMemory<byte>)Payload(i)).ToList();

        log.Tell(new AppendBatch(payloads, CorrelationId: 7));

        var reply = ExpectMsg<BatchAppended>();
        Assert.Equal(7, reply.CorrelationId);
        Assert.Equal(5, reply.Lsns.Count);
        for (var i = 0; i < 5; i++)
        {
            DurabilityOracle.AssertDurable(store.DurableImage, reply.Lsns[i].Value, payloads[i].Span);
        }

        Assert.Equal(reply.Lsns.OrderBy(l => l), reply.Lsns);
    }

    [Fact]
    public void An_oversized_record_fails_with_a_typed_error_and_the_log_keeps_working()
    {
        var log = StartLog(new InstrumentedStore());

        log.Tell(new Append(new byte[SmallLog().MaxRecordSize + 1], CorrelationId: "big"));
        var failed = ExpectMsg<AppendFailed>();
        var error = Assert.IsType<RecordTooLargeException>(failed.Reason);
        Assert.Equal("big", failed.CorrelationId);
        Assert.Equal("walactors.log.max-record-size", error.Setting);

        log.Tell(new Append(Payload(1)));
        Assert.Equal(Lsn.Zero, ExpectMsg<Appended>().Lsn);
    }

    [Fact]
    public void An_empty_batch_and_an_oversized_batch_fail_with_typed_errors()
    {
        var log = StartLog(new InstrumentedStore());

        log.Tell(new AppendBatch([]));
        Assert.IsType<InvalidAppendException>(ExpectMsg<AppendFailed>().Reason);

        var tooMany = Enumerable.Range(0, 10).Select(_ => (ReadOnlyMemory<byte>)new byte[15 * 1024]).ToList();
        log.Tell(new AppendBatch(tooMany));
        var error = Assert.IsType<RecordTooLargeException>(ExpectMsg<AppendFailed>().Reason);
        Assert.Equal("walactors.log.max-batch-size", error.Setting);

        log.Tell(new AppendBatch([new byte[SmallLog().MaxRecordSize + 1]]));
        Assert.IsType<RecordTooLargeException>(ExpectMsg<AppendFailed>().Reason);
    }

    [Fact]
    public void Written_appends_are_acknowledged_without_a_barrier_and_durable_ones_wait_for_it()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        log.Tell(new Append(Payload(0)));
        ExpectMsg<Appended>();
        store.HoldSyncs();

        log.Tell(new Append(Payload(1), Durability.Durable, "durable"));
        log.Tell(new Append(Payload(2), Durability.Written, "written"));

        // Acknowledgements to one sender arrive in the order they were sent, so the written one arriving first
        // proves the durable one was not acknowledged while its barrier was held.
        Assert.Equal("written", ExpectMsg<Appended>().CorrelationId);
        store.ReleaseSyncs();
        var durable = ExpectMsg<Appended>();
        Assert.Equal("durable", durable.CorrelationId);
        DurabilityOracle.AssertDurable(store.DurableImage, durable.Lsn.Value, Payload(1));
    }

    [Fact]
    public void Sync_replies_with_the_durable_end_covering_everything_written_before_it()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        log.Tell(new Append(Payload(1), Durability.Written));
        var written = ExpectMsg<Appended>();

        log.Tell(Sync.Instance);

        var synced = ExpectMsg<Synced>();
        var end = written.Lsn.Value + FrameCodec.FrameSize(Payload(1).Length);
        Assert.Equal(end, synced.DurableEnd.Value);
        Assert.True(store.DurableImage.Length >= end);
    }

    [Fact]
    public void Status_reports_positions_and_counters()
    {
        var log = StartLog(new InstrumentedStore());
        for (var i = 0; i < 10; i++)
        {
            log.Tell(new Append(Payload(i)));
        }

        var lsns = ReceiveN(10).Cast<Appended>().Select(a => a.Lsn).ToList();
        log.Tell(GetStatus.Instance);
        var status = ExpectMsg<WalStatus>();

        var end = lsns[^1].Value + FrameCodec.FrameSize(Payload(9).Length);
        Assert.Equal(WalState.Ready, status.State);
        Assert.Equal(Lsn.Zero, status.Head);
        Assert.Equal(end, status.WrittenEnd.Value);
        Assert.Equal(end, status.DurableEnd.Value);
        Assert.Equal(10, status.Counters.Appends);
        Assert.Equal(10 * Payload(0).Length, status.Counters.Bytes);
        Assert.InRange(status.Counters.Barriers, 1, 10);
        Assert.InRange(status.Counters.Writes, 1, 10);
        Assert.True(status.Counters.MeanWriteBatch >= 1);
        Assert.NotNull(status.Recovery);
    }

    [Fact]
    public void Per_append_mode_issues_one_barrier_for_each_durable_append()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { SyncMode = SyncMode.PerAppend });
        store.HoldSyncs();
        for (var i = 0; i < 20; i++)
        {
            log.Tell(new Append(Payload(i)));
        }

        store.SyncStarted.Wait(TimeSpan.FromSeconds(10));
        store.ReleaseSyncs();
        ReceiveN(20);

        Assert.Equal(RecoverySyncs + 20, store.Syncs);
    }

    [Fact]
    public void Sync_mode_none_acknowledges_durable_appends_once_written_without_barriers()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { SyncMode = SyncMode.None });

        for (var i = 0; i < 20; i++)
        {
            log.Tell(new Append(Payload(i)));
        }

        ReceiveN(20);
        Assert.Equal(RecoverySyncs, store.Syncs);

        log.Tell(Sync.Instance);
        ExpectMsg<Synced>();
        Assert.Equal(RecoverySyncs + 1, store.Syncs);
    }

    [Fact]
    public void Appends_that_arrive_while_the_writers_are_busy_go_out_in_a_few_large_writes()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = 2 });
        store.HoldWrites(_ => true);
        log.Tell(new Append(Payload(0)));
        log.Tell(new Append(Payload(1)));
        Assert.True(store.WriteHeld.Wait(TimeSpan.FromSeconds(10)) && store.WriteHeld.Wait(TimeSpan.FromSeconds(10)), "both writers should be busy");

        for (var i = 2; i < 302; i++)
        {
            log.Tell(new Append(Payload(i)));
        }

        store.ReleaseWrites();
        ReceiveN(302);
        log.Tell(GetStatus.Instance);
        var counters = ExpectMsg<WalStatus>().Counters;

        // 300 appends queued behind two busy writers: each writer takes everything waiting, up to writer-batch-size.
        Assert.Equal(302, counters.Appends);
        Assert.InRange(counters.Writes, 3, 8);
        Assert.True(counters.MeanWriteBatch > 30);
    }

    [Fact]
    public void A_sync_interval_spaces_barriers_and_an_explicit_sync_does_not_wait_for_it()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { SyncInterval = TimeSpan.FromHours(1) });
        log.Tell(new Append(Payload(0), CorrelationId: "first"));
        Assert.Equal("first", ExpectMsg<Appended>().CorrelationId);
        var barriers = store.Syncs;

        // The next barrier is an hour away: the durable append waits for it...
        log.Tell(new Append(Payload(1), CorrelationId: "second"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(barriers, store.Syncs);

        // ...unless someone asks for a barrier now.
        log.Tell(Sync.Instance);
        Assert.Equal("second", ExpectMsg<Appended>().CorrelationId);
        ExpectMsg<Synced>();
        Assert.Equal(barriers + 1, store.Syncs);
    }
}
