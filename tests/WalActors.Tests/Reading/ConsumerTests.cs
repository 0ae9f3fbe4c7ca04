using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

/// <summary>Named consumers: commits are frames of the log, found again by recovery, skipped by readers.</summary>
public sealed class ConsumerTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task A_consumer_resumes_after_the_last_record_it_moved_past_and_never_sees_commit_frames()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        var lsns = await AppendAsync(client, 10);
        var options = new WalConsumerOptions { CommitEvery = 1 };

        var first = await TakeAsync(client.TailAsync("reports", options), 4);
        Assert.Equal(lsns[..4], first.Select(r => r.Lsn));

        // Three records were moved past (the fourth was yielded last, so it counts as unprocessed).
        Assert.Equal(lsns[3], (await client.GetConsumerAsync("reports"))!.Next);
        var second = await TakeAsync(client.TailAsync("reports", options), 7);
        Assert.Equal(lsns[3..], second.Select(r => r.Lsn));

        // A plain read sees only the ten records: the commit frames between them are skipped.
        var all = await client.ReadAsync(Lsn.Zero, 1000);
        Assert.Equal(lsns, all.Records.Select(r => r.Lsn));
    }

    [Fact]
    public async Task A_commit_survives_a_restart_of_the_log_and_recovery_finds_the_latest_per_consumer()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        var log = WriteAheadLog.Start(Sys, options, "first");
        var client = new WalClient(Sys, log);
        var lsns = await AppendAsync(client, 10);
        await client.CommitAsync("a", lsns[2]);
        await client.CommitAsync("a", lsns[5]);
        await client.CommitAsync("b", lsns[1], lossy: true);
        await client.CommitAsync("removed", lsns[1]);
        await client.RemoveConsumerAsync("removed");
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        var reopened = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "second"));
        var consumers = await reopened.GetConsumersAsync();
        Assert.Equal(["a", "b"], consumers.Select(c => c.Name));
        Assert.Equal(lsns[6], consumers[0].Next);
        Assert.False(consumers[0].Lossy);
        Assert.Equal(lsns[2], consumers[1].Next);
        Assert.True(consumers[1].Lossy);
        Assert.Null(await reopened.GetConsumerAsync("removed"));
        Assert.Equal(10, (await reopened.Ready).RecordCount);

        var resumed = await TakeAsync(reopened.TailAsync("a"), 4);
        Assert.Equal(lsns[6..], resumed.Select(r => r.Lsn));
    }

    [Fact]
    public async Task A_commit_of_an_lsn_the_log_does_not_hold_is_refused_with_a_typed_error_and_writes_nothing()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        var lsns = await AppendAsync(client, 3);
        var end = (await client.GetStatusAsync()).DurableEnd;

        await Assert.ThrowsAsync<InvalidLsnException>(() => client.CommitAsync("c", new Lsn(lsns[1].Value + 8)));
        await Assert.ThrowsAsync<InvalidLsnException>(() => client.CommitAsync("c", end));
        await Assert.ThrowsAsync<InvalidLsnException>(() => client.CommitAsync("c", new Lsn(end.Value + 4096)));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CommitAsync("", lsns[0]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CommitAsync(new string('x', 257), lsns[0]));
        Assert.Throws<ArgumentException>(() => client.TailAsync(""));
        Assert.Empty(await client.GetConsumersAsync());
        Assert.Equal(end, (await client.GetStatusAsync()).DurableEnd);

        // A commit frame is not a record: committing at one is refused too.
        var position = await client.CommitAsync("c", lsns[2]);
        await Assert.ThrowsAsync<InvalidLsnException>(() => client.CommitAsync("c", position.CommitLsn));
    }

    [Fact]
    public async Task Retention_keeps_what_a_consumer_has_not_committed_but_passes_a_lossy_one_which_then_fails_truncated()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 4096 };
        var log = WriteAheadLog.Start(Sys, options, "retained");
        var client = new WalClient(Sys, log);
        var early = await AppendAsync(client, 100);
        var careless = await client.CommitAsync("careless", early[10], lossy: true);
        Lsn[] lsns = [.. early, .. await AppendAsync(client, 500)];
        await client.CommitAsync("careful", lsns[300]);

        var end = (await client.GetStatusAsync()).DurableEnd;
        var head = await client.TruncateBeforeAsync(end);
        Assert.True(head <= lsns[301], $"retention dropped up to LSN {head}, past the careful consumer's {lsns[301]}");
        Assert.True(head > lsns[11], "nothing was dropped: the test proves nothing");
        Assert.Equal(lsns[301], (await TakeAsync(client.TailAsync("careful"), 1))[0].Lsn);

        // The lossy consumer's commit frame lay in what was dropped: it was written again, so the consumer is still known.
        var carried = await client.GetConsumerAsync("careless");
        Assert.True(carried!.CommitLsn > careless.CommitLsn);
        Assert.Equal(careless.Next, carried.Next);
        await Assert.ThrowsAsync<LogTruncatedException>(() => TakeAsync(client.TailAsync("careless"), 1));

        // Removing the careful consumer frees retention; after a restart both facts still hold.
        await client.RemoveConsumerAsync("careful");
        var freed = await client.TruncateBeforeAsync(end);
        Assert.True(freed > lsns[301], $"head {freed}, end {end}, careful at {lsns[301]}, consumers {string.Join(", ", await client.GetConsumersAsync())}");
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
        var reopened = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "retained-again"));
        Assert.Equal(["careless"], (await reopened.GetConsumersAsync()).Select(c => c.Name));
    }

    [Fact]
    public async Task Auto_commit_commits_what_was_processed_once_the_interval_passes_even_when_no_record_follows()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        var lsns = await AppendAsync(client, 2);
        var options = new WalConsumerOptions { CommitEvery = 1000, CommitInterval = TimeSpan.FromMilliseconds(20) };
        using var cancel = new CancellationTokenSource();
        var seen = new List<Lsn>();
        var tail = Task.Run(async () =>
        {
            await foreach (var record in client.TailAsync("idle", options, cancel.Token))
            {
                seen.Add(record.Lsn);
            }
        });

        // Both records are moved past (the tail waits for a third); the commit comes without one.
        await AwaitAssertAsync(async () => Assert.Equal(lsns[1].Value + (lsns[1].Value - lsns[0].Value), (await client.GetConsumerAsync("idle"))?.Next.Value), TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tail);
        Assert.Equal(lsns, seen);
    }

    [Fact]
    public async Task A_stream_consumer_resumes_where_its_commit_sink_left_off()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        var lsns = await AppendAsync(client, 50);
        var options = new WalConsumerOptions { CommitEvery = 7 };

        await WalSource.Tail(log, "stream").Take(20).RunWith(WalSink.Commit(log, "stream", options), Sys.Materializer());
        Assert.Equal(lsns[20], (await client.GetConsumerAsync("stream"))!.Next);

        var rest = await WalSource.Tail(log, "stream").Take(30).Via(WalFlow.Commit(log, "stream", options)).RunWith(Sink.Seq<WalRecord>(), Sys.Materializer());
        Assert.Equal(lsns[20..], rest.Select(r => r.Lsn));
        Assert.Equal(rest[^1].Next, (await client.GetConsumerAsync("stream"))!.Next);
    }

    [Fact]
    public async Task Every_consumer_call_on_a_stopped_log_fails_with_WalStoppedException_at_once()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        var lsns = await AppendAsync(client, 1);
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        await Assert.ThrowsAsync<WalStoppedException>(() => client.CommitAsync("c", lsns[0]));
        await Assert.ThrowsAsync<WalStoppedException>(() => client.GetConsumerAsync("c"));
        await Assert.ThrowsAsync<WalStoppedException>(() => client.GetConsumersAsync());
        await Assert.ThrowsAsync<WalStoppedException>(() => client.RemoveConsumerAsync("c"));
        await Assert.ThrowsAsync<WalStoppedException>(() => TakeAsync(client.TailAsync("c"), 1));
    }

    [Fact]
    public async Task A_new_consumer_starts_where_its_options_say()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        var lsns = await AppendAsync(client, 5);
        var records = await TakeAsync(client.TailAsync("late", new WalConsumerOptions { StartAt = lsns[3] }), 2);
        Assert.Equal(lsns[3..], records.Select(r => r.Lsn));
    }

    private static async Task<Lsn[]> AppendAsync(WalClient client, int count)
    {
        var lsns = new Lsn[count];
        for (var i = 0; i < count; i++)
        {
            lsns[i] = await client.AppendAsync(Payload(i));
        }

        return lsns;
    }

    private static async Task<List<WalRecord>> TakeAsync(IAsyncEnumerable<WalRecord> records, int count)
    {
        var taken = new List<WalRecord>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var record in records.WithCancellation(timeout.Token))
        {
            taken.Add(record);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }
}
