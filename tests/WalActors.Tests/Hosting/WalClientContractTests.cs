using System.Diagnostics;
using Akka.Actor;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Hosting;

public sealed class WalClientContractTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task Appends_copy_the_payload_so_the_caller_may_reuse_its_buffer_at_once()
    {
        var store = new InstrumentedStore();
        var client = new WalClient(Sys, StartLog(store));
        await client.Ready;
        store.HoldWrites(_ => true); // nothing is written until every call below has returned and the buffer is reused

        var buffer = new byte[8];
        var appends = new List<Task<Lsn>>();
        for (var i = 0; i < 200; i++)
        {
            BitConverter.TryWriteBytes(buffer, (long)i);
            appends.Add(client.AppendAsync(buffer));
            if (i % 2 == 0)
            {
                Assert.True(client.TryAppend(buffer, out var appended));
                appends.Add(appended);
            }
        }

        var batch = client.AppendBatchAsync([buffer, buffer]);
        Array.Fill(buffer, (byte)0xFF);
        store.ReleaseWrites();
        var lsns = await Task.WhenAll(appends);
        var batchLsns = await batch;

        var records = (await client.ReadAsync(Lsn.Zero, 1000)).Records.ToDictionary(r => r.Lsn, r => BitConverter.ToInt64(r.Payload.Span));
        var expected = Enumerable.Range(0, 200).SelectMany(i => i % 2 == 0 ? new long[] { i, i } : [i]).ToList();
        Assert.Equal(expected, lsns.Select(l => records[l]));
        Assert.All(batchLsns, l => Assert.Equal(199, records[l]));
    }

    [Theory]
    [InlineData(0, Durability.Durable)]
    [InlineData(-1, Durability.Durable)]
    [InlineData(10, (Durability)5)]
    public async Task A_read_of_no_records_or_at_an_undefined_level_is_an_argument_error_raised_before_anything_is_sent(int maxRecords, Durability level)
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        await client.Ready;

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ReadAsync(Lsn.Zero, maxRecords, level));
        Assert.Equal(maxRecords <= 0 ? "maxRecords" : "level", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Read(Lsn.Zero, maxRecords, level));
        Assert.Equal(0, (await client.GetStatusAsync()).Counters.Appends);
    }

    [Fact]
    public async Task Queries_to_a_log_whose_actor_is_gone_fail_at_once_instead_of_timing_out()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(1));
        Watch(log);
        Sys.Stop(log);
        ExpectTerminated(log);

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<WalStoppedException>(() => client.ReadAsync(Lsn.Zero, 10));
        await Assert.ThrowsAsync<WalStoppedException>(() => client.SyncAsync());
        await Assert.ThrowsAsync<WalStoppedException>(() => client.GetStatusAsync());
        await Assert.ThrowsAsync<WalStoppedException>(() => client.TruncateBeforeAsync(Lsn.Zero));
        await Assert.ThrowsAsync<WalStoppedException>(() => client.AppendAsync(Payload(2)));
        Assert.True(client.TryAppend(Payload(3), out var late));
        await Assert.ThrowsAsync<WalStoppedException>(() => late);

        // Well under the 30 s ask timeout these would otherwise wait for.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task A_read_after_a_graceful_shutdown_fails_at_once()
    {
        var log = StartLog(new InstrumentedStore());
        var client = new WalClient(Sys, log);
        await client.AppendAsync(Payload(1));
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<WalStoppedException>(() => client.ReadAsync(Lsn.Zero, 10).WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<WalStoppedException>(() => client.AppendBatchAsync([Payload(2)]).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_cancelled_tail_ends_with_operation_canceled()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        await client.AppendAsync(Payload(1));
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        var tail = Task.Run(async () =>
        {
            await foreach (var _ in client.TailAsync(Lsn.Zero, cancellationToken: cancel.Token))
            {
                if (++seen == 1)
                {
                    await cancel.CancelAsync(); // then it would wait for the next record for ever
                }
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tail.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        var client = new WalClient(Sys, StartLog(new InstrumentedStore()));
        await client.Ready;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AppendAsync(Payload(1), cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AppendBatchAsync([Payload(2)], cancellationToken: cancelled.Token));
        Assert.Equal(0, (await client.GetStatusAsync()).Counters.Appends + (await client.ReadAsync(Lsn.Zero, 10)).Records.Count);
    }

    [Fact]
    public void A_client_over_an_actor_that_is_not_a_log_is_refused()
    {
        var notALog = Sys.ActorOf(Props.Create(() => new Ignorer()));
        Assert.Throws<ArgumentException>(() => new WalClient(Sys, notALog));
    }

    private sealed class Ignorer : ReceiveActor
    {
        public Ignorer() => ReceiveAny(_ => { });
    }
}
