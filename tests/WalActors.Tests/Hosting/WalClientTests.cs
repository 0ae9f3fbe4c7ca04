using WalActors.Format;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Hosting;

public sealed class WalClientTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task Appends_batches_syncs_and_status_work_through_the_async_client()
    {
        var store = new InstrumentedStore();
        var client = new WalClient(Sys, StartLog(store));

        var report = await client.Ready;
        var first = await client.AppendAsync(Payload(1));
        var batch = await client.AppendBatchAsync([Payload(2), Payload(3)]);
        var written = await client.AppendAsync(Payload(4), Durability.Written);
        var durableEnd = await client.SyncAsync();
        var status = await client.GetStatusAsync();

        Assert.Equal(0, report.RecordCount);
        Assert.Equal(Lsn.Zero, first);
        Assert.Equal(new Lsn(FrameCodec.FrameSize(Payload(1).Length)), batch[0]);
        Assert.True(batch[1] > batch[0] && written > batch[1]);
        Assert.Equal(written.Value + FrameCodec.FrameSize(Payload(4).Length), durableEnd.Value);
        Assert.Equal(4, status.Counters.Appends);
        DurabilityOracle.AssertDurable(store.DurableImage, written.Value, Payload(4));
    }

    [Fact]
    public async Task Many_concurrent_client_appends_complete_with_unique_lsns()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));

        var lsns = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => client.AppendAsync(Payload(i))));

        Assert.Equal(2000, lsns.Distinct().Count());
    }

    [Fact]
    public async Task Bad_input_and_faults_surface_as_typed_exceptions()
    {
        var store = new InstrumentedStore();
        var client = new WalClient(Sys, StartLog(store));

        await Assert.ThrowsAsync<RecordTooLargeException>(() => client.AppendAsync(new byte[SmallLog().MaxRecordSize + 1]));
        await Assert.ThrowsAsync<InvalidAppendException>(() => client.AppendBatchAsync([]));

        store.FailSyncNumber = store.Syncs + 1;
        await Assert.ThrowsAsync<WalFaultedException>(() => client.AppendAsync(Payload(1)));
        await Assert.ThrowsAsync<WalFaultedException>(() => client.AppendAsync(Payload(2), Durability.Written));
        Assert.Equal(WalState.Faulted, (await client.GetStatusAsync()).State);
    }

    [Fact]
    public async Task After_shutdown_appends_fail_as_stopped()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(1));

        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<WalStoppedException>(() => client.AppendAsync(Payload(2)));
    }

    [Fact]
    public async Task A_shutdown_that_times_out_fails_the_appends_still_waiting_instead_of_stranding_them()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { ShutdownTimeout = TimeSpan.FromMilliseconds(500) });
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(0));
        store.HoldSyncs();
        var waiting = Enumerable.Range(1, 3).Select(i => client.AppendAsync(Payload(i))).ToList();
        Assert.True(store.SyncStarted.Wait(TimeSpan.FromSeconds(10)));

        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        foreach (var append in waiting)
        {
            await Assert.ThrowsAsync<WalStoppedException>(() => append);
        }

        store.ReleaseSyncs();
    }

    [Fact]
    public async Task Appends_through_a_client_of_a_terminated_system_fail_as_stopped()
    {
        var system = Akka.Actor.ActorSystem.Create("short-lived", WalConfig.Defaults);
        var client = new WalClient(system, WriteAheadLog.Start(system, SmallLog(), () => new InstrumentedStore(), "mem"));
        await client.AppendAsync(Payload(1));

        await system.Terminate();

        await Assert.ThrowsAsync<WalStoppedException>(() => client.AppendAsync(Payload(2)));
        await Assert.ThrowsAsync<WalStoppedException>(() => client.AppendBatchAsync([Payload(3)]));
    }
}
