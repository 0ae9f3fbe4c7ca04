using Akka.Actor;
using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

/// <summary>
/// Injected I/O failures: the right appends fail with a typed error, nothing past the failure is acknowledged, the log
/// says it is faulted, and reopening what the disk holds recovers every acknowledged record.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 1, false)]
    [InlineData(3, 3, false)]
    [InlineData(2, 2, true)]
    [InlineData(3, 4, true)]
    public async Task A_failed_write_faults_the_log_and_nothing_at_or_after_it_is_acknowledged(int writers, int failingWrite, bool transient)
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = writers });
        Sys.EventStream.Subscribe(TestActor, typeof(WalFaulted));
        var (warmUp, _) = AppendAndCollect(log, 0, 20);
        Assert.Equal(20, warmUp.Count);

        // With a transient failure the writes after it succeed: a log that wrote on past the hole must still not acknowledge.
        store.TransientFailures = transient;
        store.FailWriteNumber = store.Writes + failingWrite;
        var (acked, failed) = AppendUntilAFailure(log, 20);

        Assert.NotEmpty(failed);
        Assert.All(failed, f => Assert.False(Assert.IsType<WalIOException>(Assert.IsType<WalFaultedException>(f.Reason).InnerException).IsDiskFull));
        var hole = store.FaultedWriteOffset!.Value;
        Assert.All(acked, a => Assert.True(End(a) <= hole, $"LSN {a.Lsn} was acknowledged past the failed write at {hole}"));
        ExpectFaultedAndRefusing(log);
        await AssertReopenRecoversAcknowledged(store, [.. warmUp, .. acked]);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public async Task A_failed_barrier_faults_the_log_and_is_never_retried_into_an_acknowledgement(int writers, bool transient)
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = writers });
        Sys.EventStream.Subscribe(TestActor, typeof(WalFaulted));
        var (warmUp, _) = AppendAndCollect(log, 0, 20);

        // With a transient failure a retried barrier would succeed, and could then acknowledge what the failed one covered.
        store.TransientFailures = transient;
        store.FailSyncNumber = store.Syncs + 1;
        var (acked, failed) = AppendAndCollect(log, 20, 60);

        Assert.NotEmpty(failed);
        Assert.All(failed, f => Assert.IsType<WalIOException>(Assert.IsType<WalFaultedException>(f.Reason).InnerException));
        Assert.DoesNotContain(acked, a => IsDurable(a));
        Assert.All(acked, a => DurabilityOracle.AssertDurable(store.WrittenImage, a.Lsn.Value, PayloadOf(a)));
        ExpectFaultedAndRefusing(log);
        log.Tell(Sync.Instance);
        FishForMessage<Status.Failure>(_ => true);
        Assert.Equal(store.FailSyncNumber, store.Syncs);
        await AssertReopenRecoversAcknowledged(store, [.. warmUp, .. acked]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_full_disk_in_the_middle_of_a_batch_fails_that_batch_whole_and_nothing_after_it_is_acknowledged(int writers)
    {
        var store = new InstrumentedStore { DiskFullAtOffset = FrameCodec.FrameSize(Payload(1).Length) };
        var log = StartLog(store, SmallLog() with { Writers = writers });
        log.Tell(new Append(Payload(1), CorrelationId: 1));
        var first = ExpectMsg<Appended>();

        // The batch gets the next range, where the disk fills half-way through its frames; other writers write on after it.
        var batch = Enumerable.Range(100, 6).Select(i => (ReadOnlyMemory<byte>)Payload(i)).ToList();
        log.Tell(new AppendBatch(batch, CorrelationId: "batch"));
        var (acked, failed) = AppendAndCollect(log, 2, 30, expectBatch: true);

        Assert.Empty(acked);
        var batchFailure = Assert.Single(failed, f => Equals(f.CorrelationId, "batch"));
        Assert.True(Assert.IsType<WalIOException>(Assert.IsType<WalFaultedException>(batchFailure.Reason).InnerException).IsDiskFull);
        Assert.All(failed, f => Assert.IsType<WalFaultedException>(f.Reason));
        ExpectFaultedAndRefusing(log);

        // The process dies now: what it wrote, the torn half batch included, is what the next open finds.
        var image = new MemStore(store.WrittenImage);
        var report = LogRecovery.Recover(image, SmallLog().ToRecoveryOptions(), "image");
        Assert.Equal(1, report.RecordCount);
        Assert.Equal(End(first), report.End);
        await AssertReopenRecoversAcknowledged(store, [first]);
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

    /// <summary>
    /// Sends waves of appends, each answered before the next, until one fails: writers may coalesce a whole wave into one
    /// write, so a single wave need not reach the failing write number, but every wave makes at least one write.
    /// </summary>
    private (List<Appended> Acked, List<AppendFailed> Failed) AppendUntilAFailure(IActorRef log, int first)
    {
        const int wave = 15;
        var acked = new List<Appended>();
        var failed = new List<AppendFailed>();
        for (var round = 0; round < 20 && failed.Count == 0; round++)
        {
            var (waveAcked, waveFailed) = AppendAndCollect(log, first + (round * wave), wave);
            acked.AddRange(waveAcked);
            failed.AddRange(waveFailed);
        }

        return (acked, failed);
    }

    /// <summary>Sends <paramref name="count"/> appends at once, every third <see cref="Durability.Written"/>, and gathers every answer.</summary>
    private (List<Appended> Acked, List<AppendFailed> Failed) AppendAndCollect(IActorRef log, int first, int count, bool expectBatch = false)
    {
        for (var i = first; i < first + count; i++)
        {
            log.Tell(new Append(Payload(i), i % 3 == 0 ? Durability.Written : Durability.Durable, i));
        }

        var acked = new List<Appended>();
        var failed = new List<AppendFailed>();
        while (acked.Count + failed.Count < count + (expectBatch ? 1 : 0))
        {
            switch (ReceiveOne(TimeSpan.FromSeconds(10)))
            {
                case Appended a: acked.Add(a); break;
                case AppendFailed f: failed.Add(f); break;
                case BatchAppended b: throw new InvalidOperationException($"The batch was acknowledged at {string.Join(',', b.Lsns)}");
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

    /// <summary>
    /// Reopens, through a new log, what a power loss leaves (every Durable acknowledgement must be there) and what a process
    /// crash leaves (every acknowledgement must be), and appends to each.
    /// </summary>
    private async Task AssertReopenRecoversAcknowledged(InstrumentedStore store, IReadOnlyList<Appended> acknowledged)
    {
        foreach (var (image, mustHold) in new[] { (store.DurableImage, acknowledged.Where(IsDurable)), (store.WrittenImage, acknowledged) })
        {
            var reopened = new MemStore(image);
            var client = new WalClient(Sys, StartLog(reopened));
            var report = await client.Ready;
            var records = TestLog.ReadAll(reopened).ToDictionary(r => r.Lsn, r => r.Payload);
            Assert.All(mustHold, a => Assert.Equal(PayloadOf(a), records.GetValueOrDefault(a.Lsn.Value)));
            Assert.Equal(report.End, (await client.AppendAsync(Payload(1000))).Value);
        }
    }

    private static bool IsDurable(Appended appended) => appended.CorrelationId is int i && i % 3 != 0;

    private static byte[] PayloadOf(Appended appended) => Payload((int)appended.CorrelationId!);

    private static long End(Appended appended) => appended.Lsn.Value + FrameCodec.FrameSize(PayloadOf(appended).Length);
}
