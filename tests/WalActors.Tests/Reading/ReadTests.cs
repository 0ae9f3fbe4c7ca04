using Akka.Actor;
using WalActors.Format;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

public sealed class ReadTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void Reads_a_page_of_records_and_the_lsn_to_continue_from()
    {
        var log = StartLog(new InstrumentedStore());
        var lsns = Enumerable.Range(0, 10).Select(i =>
        {
            log.Tell(new Append(Payload(i)));
            return ExpectMsg<Appended>().Lsn;
        }).ToList();

        log.Tell(new Read(Lsn.Zero, 4));
        var first = ExpectMsg<ReadResult>();
        log.Tell(new Read(first.Next, 100));
        var rest = ExpectMsg<ReadResult>();
        log.Tell(new Read(rest.Next, 100));
        var none = ExpectMsg<ReadResult>();

        Assert.Equal(lsns.Take(4), first.Records.Select(r => r.Lsn));
        Assert.Equal(lsns[4], first.Next);
        Assert.Equal(lsns.Skip(4), rest.Records.Select(r => r.Lsn));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Convert.ToHexString(Payload(i))),
            first.Records.Concat(rest.Records).Select(r => Convert.ToHexString(r.Payload.Span)));
        Assert.Empty(none.Records);
        Assert.Equal(rest.Next, none.Next);
    }

    [Fact]
    public void A_position_inside_a_record_or_beyond_the_end_is_refused_as_not_a_record_boundary()
    {
        var log = StartLog(new InstrumentedStore());
        log.Tell(new Append(Payload(1)));
        ExpectMsg<Appended>();

        log.Tell(new Read(new Lsn(8), 10));
        Assert.IsType<InvalidLsnException>(ExpectMsg<Status.Failure>().Cause);
        log.Tell(new Read(new Lsn(1_000_000), 10));
        Assert.IsType<InvalidLsnException>(ExpectMsg<Status.Failure>().Cause);
    }

    [Fact]
    public void A_durable_read_never_returns_a_record_that_is_only_written()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        log.Tell(new Append(Payload(0)));
        var durable = ExpectMsg<Appended>();
        store.HoldSyncs();
        log.Tell(new Append(Payload(1), Durability.Written));
        var written = ExpectMsg<Appended>();

        log.Tell(new Read(Lsn.Zero, 10));
        var durableOnly = ExpectMsg<ReadResult>();
        log.Tell(new Read(Lsn.Zero, 10, Durability.Written));
        var withWritten = ExpectMsg<ReadResult>();
        store.ReleaseSyncs();

        Assert.Equal(new[] { durable.Lsn }, durableOnly.Records.Select(r => r.Lsn));
        Assert.Equal(new[] { durable.Lsn, written.Lsn }, withWritten.Records.Select(r => r.Lsn));
    }

    [Fact]
    public async Task The_client_reads_and_a_read_below_the_head_is_refused_as_truncated()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 4096 };
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "retained"));
        var lsns = new List<Lsn>();
        for (var i = 0; i < 200; i++)
        {
            lsns.Add(await client.AppendAsync(Payload(i)));
        }

        var head = await client.TruncateBeforeAsync(lsns[150]);

        Assert.True(head > Lsn.Zero && head <= lsns[150]);
        Assert.Equal(0, head.Value % 4096);
        var error = await Assert.ThrowsAsync<LogTruncatedException>(() => client.ReadAsync(Lsn.Zero, 10));
        Assert.Equal(head.Value, error.Head);
        var kept = lsns.First(l => l >= head);
        var page = await client.ReadAsync(kept, 1000);
        Assert.Equal(lsns.Where(l => l >= kept), page.Records.Select(r => r.Lsn));
        Assert.Equal(head, (await client.GetStatusAsync()).Head);
    }

    [Fact]
    public async Task Truncation_never_drops_anything_that_is_not_yet_durable()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 4096 };
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "clamped"));
        Lsn last = default;
        for (var i = 0; i < 100; i++)
        {
            last = await client.AppendAsync(Payload(i));
        }

        var head = await client.TruncateBeforeAsync(new Lsn(long.MaxValue));

        var status = await client.GetStatusAsync();
        Assert.True(head.Value <= status.DurableEnd.Value);
        Assert.True(head <= last);
        var page = await client.ReadAsync(head, 1000);
        Assert.Equal(last, page.Records[^1].Lsn);
    }
}
