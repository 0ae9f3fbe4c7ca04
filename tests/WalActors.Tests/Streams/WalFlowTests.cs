using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Streams;

public sealed class WalFlowTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task The_flow_appends_every_element_in_order_and_emits_its_lsn()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);

        var lsns = await Source.From(Enumerable.Range(0, 2000))
            .Select(i => (ReadOnlyMemory<byte>)Payload(i))
            .Via(WalFlow.Append(log, parallelism: 16))
            .RunWith(Sink.Seq<Lsn>(), Sys.Materializer());

        Assert.Equal(lsns.Order(), lsns);
        var records = (await client.ReadAsync(Lsn.Zero, 5000)).Records;
        Assert.Equal(lsns, records.Select(r => r.Lsn));
        Assert.Equal(Enumerable.Range(0, 2000).Select(Payload), records.Select(r => r.Payload.ToArray()));
    }

    [Fact]
    public async Task The_sink_is_backpressured_by_a_full_log_instead_of_being_refused()
    {
        // A log that holds 20 appends at most, and a stream of 3000: the sink waits for room, and nothing is overloaded.
        var log = StartLog(new InstrumentedStore(), SmallLog() with { MaxPendingAppends = 20 });
        var done = Source.From(Enumerable.Range(0, 3000))
            .Select(i => (ReadOnlyMemory<byte>)Payload(i))
            .RunWith(WalSink.Append(log, parallelism: 64), Sys.Materializer());

        Assert.Equal(Done.Instance, await done.WaitAsync(TimeSpan.FromSeconds(30)));
        log.Tell(GetStatus.Instance);
        var status = ExpectMsg<WalStatus>();
        Assert.Equal(3000, status.Counters.Appends);
        Assert.Equal(0, status.Counters.Failed);
    }

    [Fact]
    public async Task The_sink_fails_with_the_first_append_error()
    {
        var log = StartLog(new InstrumentedStore());
        var done = Source.From([Payload(1), new byte[SmallLog().MaxRecordSize + 1], Payload(2)])
            .Select(p => (ReadOnlyMemory<byte>)p)
            .RunWith(WalSink.Append(log, parallelism: 1), Sys.Materializer());

        await Assert.ThrowsAsync<RecordTooLargeException>(() => done.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_parallelism_below_one_is_refused()
    {
        var log = StartLog(new InstrumentedStore());
        Assert.Throws<ArgumentOutOfRangeException>(() => WalFlow.Append(log, parallelism: 0));
    }
}
