using Akka.Actor;
using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class FaultTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void A_failed_write_faults_the_log_fails_the_pending_appends_and_acknowledges_nothing_after_it()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = 2 });
        Sys.EventStream.Subscribe(TestActor, typeof(WalFaulted));
        var (acked, _) = AppendAndCollect(log, 0, 20);
        Assert.Equal(20, acked.Count);

        store.FailWriteNumber = store.Writes + 1;
        var (ackedAfter, failed) = AppendAndCollect(log, 20, 30);

        Assert.Empty(ackedAfter);
        Assert.Equal(30, failed.Count);
        Assert.All(failed, f => Assert.IsType<WalIOException>(Assert.IsType<WalFaultedException>(f.Reason).InnerException));
        var lastAcked = acked.Max(a => a.Lsn.Value);
        Assert.All(acked, a => DurabilityOracle.AssertDurable(store.DurableImage, a.Lsn.Value, Payload((int)a.CorrelationId!)));

        ExpectFaultedAndRefusing(log);
        AssertReopenRecoversAcknowledged(store, acked, lastAcked);
    }

    [Fact]
    public void A_failed_barrier_faults_the_log_and_is_never_retried_into_an_acknowledgement()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = 2 });
        Sys.EventStream.Subscribe(TestActor, typeof(WalFaulted));
        var (acked, _) = AppendAndCollect(log, 0, 20);

        store.FailSyncNumber = store.Syncs + 1;
        var (ackedAfter, failed) = AppendAndCollect(log, 20, 30);

        Assert.Empty(ackedAfter);
        Assert.Equal(30, failed.Count);
        Assert.All(failed, f => Assert.IsType<WalFaultedException>(f.Reason));
        Assert.All(acked, a => DurabilityOracle.AssertDurable(store.DurableImage, a.Lsn.Value, Payload((int)a.CorrelationId!)));
        var syncsAtFault = store.Syncs;

        ExpectFaultedAndRefusing(log);
        log.Tell(Sync.Instance);
        ExpectMsg<Status.Failure>();
        Assert.Equal(syncsAtFault, store.Syncs);
        AssertReopenRecoversAcknowledged(store, acked, acked.Count == 0 ? -1 : acked.Max(a => a.Lsn.Value));
    }

    [Fact]
    public void A_full_disk_in_the_middle_of_a_batch_fails_that_batch_whole_and_recovery_drops_its_torn_part()
    {
        var store = new InstrumentedStore { DiskFullAtWriteNumber = 2 };
        var log = StartLog(store, SmallLog() with { Writers = 1 });
        log.Tell(new Append(Payload(0), CorrelationId: 0));
        var first = ExpectMsg<Appended>();

        var batch = Enumerable.Range(1, 6).Select(i => (ReadOnlyMemory<byte>)Payload(i)).ToList();
        log.Tell(new AppendBatch(batch, CorrelationId: "batch"));

        var failed = ExpectMsg<AppendFailed>();
        var error = Assert.IsType<WalFaultedException>(failed.Reason);
        Assert.True(Assert.IsType<WalIOException>(error.InnerException).IsDiskFull);

        var image = new MemStore(store.WrittenImage);
        var report = LogRecovery.Recover(image, SmallLog().ToRecoveryOptions(), "image");
        Assert.Equal(1, report.RecordCount);
        Assert.Equal(first.Lsn.Value + FrameCodec.FrameSize(Payload(0).Length), report.End);
    }

    [Fact]
    public void Recovery_that_refuses_the_log_publishes_a_fault_and_fails_appends_with_it()
    {
        var store = new MemStore();
        var records = TestLog.AppendMany(store, 2000, maxLength: 200);
        store.WriteAt(records[1].Lsn + FrameCodec.HeaderSize + 1, [0xEE]); // damage far before the last valid records
        Sys.EventStream.Subscribe(TestActor, typeof(WalFaulted));

        var log = StartLog(store, SmallLog() with { MaxUnsyncedBytes = 64 * 1024, MaxBatchSize = 32 * 1024 });
        log.Tell(new Append(Payload(1)));

        var faulted = ExpectMsg<WalFaulted>();
        Assert.IsType<LogDamagedException>(faulted.Cause);
        var failed = ExpectMsg<AppendFailed>();
        Assert.IsType<LogDamagedException>(Assert.IsType<WalFaultedException>(failed.Reason).InnerException);
        log.Tell(GetStatus.Instance);
        Assert.Equal(WalState.Faulted, ExpectMsg<WalStatus>().State);
    }

    private (List<Appended> Acked, List<AppendFailed> Failed) AppendAndCollect(IActorRef log, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            log.Tell(new Append(Payload(i), CorrelationId: i));
        }

        var acked = new List<Appended>();
        var failed = new List<AppendFailed>();
        while (acked.Count + failed.Count < count)
        {
            switch (ReceiveOne(TimeSpan.FromSeconds(10)))
            {
                case Appended a: acked.Add(a); break;
                case AppendFailed f: failed.Add(f); break;
                case WalFaulted: break;
                case var other: throw new InvalidOperationException($"Unexpected {other}");
            }
        }

        return (acked, failed);
    }

    private void ExpectFaultedAndRefusing(IActorRef log)
    {
        log.Tell(GetStatus.Instance);
        var status = FishForMessage<WalStatus>(_ => true);
        Assert.Equal(WalState.Faulted, status.State);
        Assert.NotNull(status.Fault);

        log.Tell(new Append(Payload(999), CorrelationId: "later"));
        var later = FishForMessage<AppendFailed>(_ => true);
        Assert.IsType<WalFaultedException>(later.Reason);
    }

    private static void AssertReopenRecoversAcknowledged(InstrumentedStore store, List<Appended> acked, long lastAcked)
    {
        // What a power loss leaves, recovered: every acknowledged record is there.
        var image = new MemStore(store.DurableImage);
        var report = LogRecovery.Recover(image, SmallLog().ToRecoveryOptions(), "image");
        Assert.True(report.End > lastAcked);
        var records = TestLog.ReadAll(image).ToDictionary(r => r.Lsn, r => r.Payload);
        Assert.All(acked, a => Assert.Equal(Payload((int)a.CorrelationId!), records[a.Lsn.Value]));
    }
}
