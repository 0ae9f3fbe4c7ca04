using Akka.Actor;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class CapacityTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void Beyond_max_pending_appends_the_actor_api_answers_overloaded_at_once_and_serves_the_rest_once_there_is_room()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { MaxPendingAppends = 100 });
        log.Tell(new Append(Payload(0), CorrelationId: -1));
        ExpectMsg<Appended>();
        store.HoldWrites(_ => true);

        for (var i = 0; i < 1000; i++)
        {
            log.Tell(new Append(Payload(i), Durability.Written, i));
        }

        // Nothing can be written, so nothing leaves: the first 100 are held, the other 900 refused while the disk is stalled.
        var refused = ReceiveN(900).Cast<AppendFailed>().ToList();
        Assert.All(refused, f => Assert.IsType<WalOverloadedException>(f.Reason));
        Assert.Equal(Enumerable.Range(100, 900), refused.Select(f => (int)f.CorrelationId!).Order());
        var error = (WalOverloadedException)refused[0].Reason;
        Assert.Equal(100, error.MaxPendingAppends);
        Assert.Contains("max-pending-appends", error.Message);

        store.ReleaseWrites();
        var acked = ReceiveN(100).Cast<Appended>().ToList();
        Assert.Equal(Enumerable.Range(0, 100), acked.Select(a => (int)a.CorrelationId!).Order());

        // Room again: the next append is served.
        log.Tell(new Append(Payload(1), CorrelationId: "after"));
        Assert.Equal("after", ExpectMsg<Appended>().CorrelationId);
    }

    [Fact]
    public void Max_pending_bytes_bounds_the_bytes_held_and_an_append_beyond_it_is_refused()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { MaxPendingBytes = 64 * 1024 });
        log.Tell(new Append(Payload(0)));
        ExpectMsg<Appended>();
        store.HoldWrites(_ => true);

        // 16 KiB records framed to 16,400 bytes: admitted while below 64 KiB, so four are held and the fifth is refused.
        for (var i = 0; i < 5; i++)
        {
            log.Tell(new Append(new byte[16 * 1024 - 16], Durability.Written, i));
        }

        var refused = ExpectMsg<AppendFailed>();
        Assert.Equal(4, refused.CorrelationId);
        Assert.IsType<WalOverloadedException>(refused.Reason);
        store.ReleaseWrites();
        Assert.Equal([0, 1, 2, 3], ReceiveN(4).Cast<Appended>().Select(a => (int)a.CorrelationId!).Order());
    }

    [Fact]
    public void The_bound_holds_while_the_log_recovers_and_what_was_held_is_served_after()
    {
        using var gate = new ManualResetEventSlim(false);
        var store = new InstrumentedStore();
        var log = WriteAheadLog.Start(Sys, SmallLog() with { MaxPendingAppends = 50 }, () =>
        {
            gate.Wait();
            return store;
        }, "gated", "gated-capacity");

        for (var i = 0; i < 200; i++)
        {
            log.Tell(new Append(Payload(i), CorrelationId: i));
        }

        var refused = ReceiveN(150).Cast<AppendFailed>().ToList();
        Assert.All(refused, f => Assert.IsType<WalOverloadedException>(f.Reason));
        gate.Set();
        Assert.Equal(Enumerable.Range(0, 50), ReceiveN(50).Cast<Appended>().Select(a => (int)a.CorrelationId!).Order());
    }

    [Fact]
    public async Task The_client_try_append_refuses_at_once_when_full_and_append_async_waits_for_room()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { MaxPendingAppends = 10 });
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(0));
        store.HoldWrites(_ => true);

        var held = new List<Task<Lsn>>();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(client.TryAppend(Payload(i), out var appended));
            held.Add(appended);
        }

        Assert.False(client.TryAppend(Payload(99), out var refused));
        Assert.Null(refused);

        // A waiting append stays waiting while the log is full, a cancelled one is not sent, and the actor API is refused.
        var waiting = client.AppendAsync(Payload(100));
        using var cancel = new CancellationTokenSource();
        var cancelled = client.AppendAsync(Payload(101), cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        log.Tell(new Append(Payload(102)));
        Assert.IsType<WalOverloadedException>(ExpectMsg<AppendFailed>().Reason);
        Assert.False(waiting.IsCompleted);

        store.ReleaseWrites();
        await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(10));
        var last = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        var records = (await client.ReadAsync(Lsn.Zero, 100)).Records;
        Assert.Equal(12, records.Count); // the first, the ten held, the one that waited; not the cancelled one
        Assert.Equal(last, records[^1].Lsn);
        Assert.Equal(Payload(100), records[^1].Payload.ToArray());
    }

    [Fact]
    public async Task A_client_waiting_for_room_fails_as_stopped_when_the_log_stops_instead_of_waiting_forever()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { MaxPendingAppends = 5 });
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(0));
        store.HoldWrites(_ => true);
        var held = Enumerable.Range(0, 5).Select(i => client.AppendAsync(Payload(i))).ToList();
        var waiting = client.AppendAsync(Payload(9));

        Sys.Stop(log);
        store.ReleaseWrites();

        await Assert.ThrowsAsync<WalStoppedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.WhenAll(held.Select(t => t.ContinueWith(_ => { }))).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Capacity_settings_are_read_from_hocon_and_validated_naming_the_key()
    {
        var options = WalOptions.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("max-pending-appends = 7\nmax-pending-bytes = 32 MiB"));
        Assert.Equal(7, options.MaxPendingAppends);
        Assert.Equal(32L * 1024 * 1024, options.MaxPendingBytes);
        var defaults = new WalOptions();
        Assert.Equal(defaults.MaxPendingAppends, WalOptions.FromConfig(Akka.Configuration.Config.Empty).MaxPendingAppends);

        Assert.Contains("walactors.log.max-pending-appends", Assert.Throws<ArgumentException>(() => (defaults with { MaxPendingAppends = 0 }).Validate()).Message);
        Assert.Contains("walactors.log.max-pending-bytes", Assert.Throws<ArgumentException>(() => (defaults with { MaxPendingBytes = 1024 }).Validate()).Message);
    }
}
