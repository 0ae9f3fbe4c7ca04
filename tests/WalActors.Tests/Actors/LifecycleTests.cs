using Akka.Actor;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class LifecycleTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void Appends_sent_before_recovery_ends_are_held_and_served_in_order_after_it()
    {
        using var openGate = new ManualResetEventSlim(false);
        var store = new InstrumentedStore();
        var log = WriteAheadLog.Start(Sys, SmallLog(), () =>
        {
            openGate.Wait();
            return store;
        }, "gated", "gated");

        for (var i = 0; i < 10; i++)
        {
            log.Tell(new Append(Payload(i), CorrelationId: i));
        }

        log.Tell(GetStatus.Instance);
        Assert.Equal(WalState.Recovering, ExpectMsg<WalStatus>().State);

        Sys.EventStream.Subscribe(TestActor, typeof(WalReady));
        openGate.Set();
        ExpectMsg<WalReady>();
        var acks = ReceiveN(10).Cast<Appended>().ToList();
        Assert.Equal(Enumerable.Range(0, 10), acks.Select(a => (int)a.CorrelationId!));
        Assert.Equal(acks.Select(a => a.Lsn).Order(), acks.Select(a => a.Lsn));
    }

    [Fact]
    public void Ready_is_published_with_the_recovery_report()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(WalReady));
        var store = new MemStore();
        TestLog.AppendMany(store, 12);

        var log = StartLog(store);

        var ready = ExpectMsg<WalReady>();
        Assert.Equal(log, ready.Log);
        Assert.Equal(12, ready.Report.RecordCount);
        log.Tell(new Append(Payload(1)));
        Assert.Equal(ready.Report.End, ExpectMsg<Appended>().Lsn.Value);
    }

    [Fact]
    public async Task Stopping_with_appends_in_flight_answers_every_one_then_releases_the_log()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        var log = WriteAheadLog.Start(Sys, options, "stopping");
        for (var i = 0; i < 200; i++)
        {
            log.Tell(new Append(Payload(i), i % 2 == 0 ? Durability.Durable : Durability.Written, i));
        }

        var stopped = WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
        var replies = ReceiveN(200, TimeSpan.FromSeconds(30)).ToList();
        await stopped;

        var acked = replies.OfType<Appended>().ToList();
        Assert.Equal(200, acked.Count + replies.OfType<AppendFailed>().Count());
        Assert.All(replies.OfType<AppendFailed>(), f => Assert.IsType<WalStoppedException>(f.Reason));

        log.Tell(new Append(Payload(1), CorrelationId: "late"));
        var late = ExpectMsg<AppendFailed>();
        Assert.IsType<WalStoppedException>(late.Reason);
        Assert.Equal("late", late.CorrelationId);
        log.Tell(GetStatus.Instance);
        Assert.Equal(WalState.Stopped, ExpectMsg<WalStatus>().State);

        // The lock is released, and every acknowledged record, Written ones included, survived the last barrier.
        using var store = SegmentedStore.Open(options.Directory, new SegmentedStoreOptions { SegmentSize = options.SegmentSize });
        LogRecovery.Recover(store, options.ToRecoveryOptions(), options.Directory);
        var records = TestLog.ReadAll(store).ToDictionary(r => r.Lsn, r => r.Payload);
        Assert.All(acked, a => Assert.Equal(Payload((int)a.CorrelationId!), records[a.Lsn.Value]));
    }

    [Fact]
    public void A_log_directory_already_in_use_faults_the_second_log_with_a_clear_error()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        Sys.EventStream.Subscribe(TestActor, typeof(WalReady));
        Sys.EventStream.Subscribe(TestActor, typeof(WalFaulted));
        WriteAheadLog.Start(Sys, options, "first");
        ExpectMsg<WalReady>();

        WriteAheadLog.Start(Sys, options, "second");

        Assert.IsType<LogInUseException>(ExpectMsg<WalFaulted>().Cause);
    }

    [Fact]
    public void Invalid_options_are_refused_at_start_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => WriteAheadLog.Start(Sys, SmallLog() with { Writers = 0 }, "bad"));
        Assert.Contains("walactors.log.writers", error.Message);
    }
}
