using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

public sealed class TailTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task A_tail_receives_exactly_the_acknowledged_records_in_lsn_order_under_concurrent_appends_across_segments()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 8192 };
        var log = WriteAheadLog.Start(Sys, options, "tailed");
        var client = new WalClient(Sys, log);
        await client.Ready;
        const int count = 3000;
        var received = new List<WalRecord>();
        var tail = WalSource.Tail(log, Lsn.Zero).Take(count).RunForeach(r => received.Add(r), Sys.Materializer());

        var acked = await Task.WhenAll(Enumerable.Range(0, count).Select(i => AppendAsync(client, i)));
        await tail.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(acked.OrderBy(a => a.Lsn).Select(a => a.Lsn), received.Select(r => r.Lsn));
        Assert.Equal(acked.OrderBy(a => a.Lsn).Select(a => Convert.ToHexString(a.Payload)), received.Select(r => Convert.ToHexString(r.Payload.Span)));
        Assert.All(received.Zip(received.Skip(1)), p => Assert.Equal(p.Second.Lsn, p.First.Next));
        Assert.True((await client.GetStatusAsync()).DurableEnd.Value > 3 * options.SegmentSize);
    }

    [Fact]
    public async Task A_tail_never_offers_a_record_before_it_is_durable_unless_asked_to_follow_written_data()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(0));
        store.HoldSyncs();
        var written = await client.AppendAsync(Payload(1), Durability.Written);

        var writtenTail = WalSource.Tail(log, Lsn.Zero, Durability.Written).Take(2).RunWith(Sink.Seq<WalRecord>(), Sys.Materializer());
        var records = await writtenTail.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(written, records[1].Lsn);

        var durableTail = WalSource.Tail(log, Lsn.Zero).RunWith(Sink.Queue<WalRecord>(), Sys.Materializer());
        Assert.Equal(Lsn.Zero, (await durableTail.PullAsync()).Value.Lsn);
        var second = durableTail.PullAsync();
        Assert.False(second.IsCompleted, "a record that is only written reached a durable tail");
        store.ReleaseSyncs();
        await client.SyncAsync();
        Assert.Equal(written, (await second.WaitAsync(TimeSpan.FromSeconds(20))).Value.Lsn);
    }

    [Fact]
    public async Task A_slow_reader_holds_no_records_back_from_writers_and_still_gets_every_one_in_order()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(0));
        var queue = WalSource.Tail(log, Lsn.Zero).RunWith(Sink.Queue<WalRecord>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());
        Assert.Equal(Lsn.Zero, (await queue.PullAsync()).Value.Lsn);

        // The reader pulls nothing while 5,000 appends are acknowledged: writers are not held back by it.
        var acked = await Task.WhenAll(Enumerable.Range(1, 5000).Select(i => client.AppendAsync(Payload(i))));

        var rest = new List<Lsn>();
        while (rest.Count < acked.Length)
        {
            rest.Add((await queue.PullAsync()).Value.Lsn);
        }

        Assert.Equal(acked.Order(), rest);
    }

    [Fact]
    public async Task A_tail_completes_once_the_log_shuts_down_after_delivering_everything()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        var acked = new List<Lsn>();
        for (var i = 0; i < 20; i++)
        {
            acked.Add(await client.AppendAsync(Payload(i)));
        }

        var queue = WalSource.Tail(log, Lsn.Zero).RunWith(Sink.Queue<WalRecord>(), Sys.Materializer());
        var received = new List<Lsn> { (await queue.PullAsync()).Value.Lsn };
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        while ((await queue.PullAsync().WaitAsync(TimeSpan.FromSeconds(20))) is { HasValue: true } next)
        {
            received.Add(next.Value.Lsn);
        }

        Assert.Equal(acked, received);
    }

    [Fact]
    public async Task A_tail_started_after_the_log_shut_down_fails_as_stopped()
    {
        var log = StartLog(new InstrumentedStore());
        await new WalClient(Sys, log).AppendAsync(Payload(1));
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        await Assert.ThrowsAsync<WalStoppedException>(() =>
            WalSource.Tail(log, Lsn.Zero).RunWith(Sink.Seq<WalRecord>(), Sys.Materializer()).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_tail_that_starts_below_the_head_or_inside_a_record_fails_clearly()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 4096 };
        var log = WriteAheadLog.Start(Sys, options, "tail-errors");
        var client = new WalClient(Sys, log);
        for (var i = 0; i < 300; i++)
        {
            await client.AppendAsync(Payload(i));
        }

        var head = await client.TruncateBeforeAsync(new Lsn(8192));

        await Assert.ThrowsAsync<LogTruncatedException>(() =>
            WalSource.Tail(log, Lsn.Zero).RunWith(Sink.First<WalRecord>(), Sys.Materializer()).WaitAsync(TimeSpan.FromSeconds(20)));
        var first = (await client.ReadAsync(head, 1)).Records[0];
        await Assert.ThrowsAsync<InvalidLsnException>(() =>
            WalSource.Tail(log, new Lsn(first.Lsn.Value + 8)).RunWith(Sink.First<WalRecord>(), Sys.Materializer()).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_tail_keeps_up_while_retention_drops_segments_behind_it_and_the_client_tails_too()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 4096 };
        var log = WriteAheadLog.Start(Sys, options, "retention-tail");
        var client = new WalClient(Sys, log);
        await client.Ready;
        const int count = 2000;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<Lsn>();
        var tail = Task.Run(async () =>
        {
            await foreach (var record in client.TailAsync(Lsn.Zero, cancellationToken: cancel.Token))
            {
                seen.Add(record.Lsn);
                if (seen.Count % 200 == 0)
                {
                    // Drop what this reader has consumed, while appends go on.
                    await client.TruncateBeforeAsync(record.Lsn);
                }

                if (seen.Count == count)
                {
                    break;
                }
            }
        });

        var acked = new List<Lsn>();
        for (var i = 0; i < count; i++)
        {
            acked.Add(await client.AppendAsync(Payload(i)));
        }

        await tail.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(acked, seen);
        Assert.True((await client.GetStatusAsync()).Head.Value > 0);
    }

    private static async Task<(Lsn Lsn, byte[] Payload)> AppendAsync(IWalClient client, int i) => (await client.AppendAsync(Payload(i)), Payload(i));
}
