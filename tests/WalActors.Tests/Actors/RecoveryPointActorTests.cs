using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Compaction;
using WalActors.Storage;
using WalActors.Tests.Recovery;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

/// <summary>
/// The running log keeps its recovery point: at a clean close it lies at the close marker's end, so the next start reads
/// nothing; while appending it follows the durable end segment by segment, so a start after an abrupt stop reads less
/// than a segment; after a compaction it is scanned again from the head. Each start finds what a scan from the head finds.
/// </summary>
public sealed class RecoveryPointActorTests(ITestOutputHelper output) : WalTestKit(output)
{
    private const long S = 16 * 1024;
    private static readonly SegmentedStoreOptions StoreOptions = new() { SegmentSize = S };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task After_a_graceful_stop_the_next_start_reads_no_frame_and_finds_what_a_scan_from_the_head_finds()
    {
        using var directory = new TempDirectory();
        var options = Options(directory);
        var log = WriteAheadLog.Start(Sys, options, "first");
        var client = new WalClient(Sys, log);
        await AppendAsync(client, 8 * S);
        await client.CommitAsync("reader", (await client.ReadAsync(new Lsn(S), 1)).Records[0].Lsn);
        await AppendAsync(client, S / 2);
        var consumers = await client.GetConsumersAsync();
        await WriteAheadLog.StopAsync(log, Patience);

        var (facts, scanStart) = RecoveredFacts.Of(options.Directory, usePoint: true, StoreOptions);
        Assert.Equal(RecoveredFacts.Of(options.Directory, usePoint: false, StoreOptions).Facts, facts);
        var reopened = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "second"));
        var report = await reopened.Ready;

        Assert.Equal(report.End, scanStart);
        Assert.Equal(report.End, report.ScanStart);
        Assert.Equal(0, report.ScannedBytes);
        Assert.True(report.ClosedCleanly);
        Assert.Equal(consumers, await reopened.GetConsumersAsync());
    }

    [Fact]
    public async Task After_an_abrupt_stop_the_next_start_reads_less_than_a_segment_and_finds_what_a_scan_from_the_head_finds()
    {
        using var directory = new TempDirectory();
        var options = Options(directory);
        var log = WriteAheadLog.Start(Sys, options, "first");
        var client = new WalClient(Sys, log);
        await AppendAsync(client, 10 * S);
        var caughtUp = (await client.GetStatusAsync()).DurableEnd.Value;

        // The recovery point follows on its own, off the append path: once a segment was passed it lies at a durable end.
        await AwaitConditionAsync(() => Task.FromResult(RecoveryPointFile.Read(options.Directory)?.End >= caughtUp - S), Patience);
        await AppendAsync(client, S / 4);
        await WatchedStop(log);

        var (facts, scanStart) = RecoveredFacts.Of(options.Directory, usePoint: true, StoreOptions);
        Assert.Equal(RecoveredFacts.Of(options.Directory, usePoint: false, StoreOptions).Facts, facts);
        var report = await new WalClient(Sys, WriteAheadLog.Start(Sys, options, "second")).Ready;

        Assert.Equal(scanStart, report.ScanStart);
        Assert.True(report.ScannedBytes < 2 * S, $"scanned {report.ScannedBytes} bytes from {report.ScanStart} of a log of {report.Bytes}");
        Assert.False(report.ClosedCleanly);
    }

    [Fact]
    public async Task A_compaction_while_the_log_runs_has_the_recovery_point_scanned_again_from_the_head()
    {
        using var directory = new TempDirectory();
        var options = Options(directory);
        var log = WriteAheadLog.Start(Sys, options, "first");
        var client = new WalClient(Sys, log);
        await AppendAsync(client, 6 * S);
        var durable = (await client.GetStatusAsync()).DurableEnd.Value;
        await AwaitConditionAsync(() => Task.FromResult(RecoveryPointFile.Read(options.Directory)?.End == durable), Patience);

        // Records whose text ends in an even digit survive.
        RecordLiveness even = (_, _, payload) => payload[^1] % 2 == 0;
        var compacted = await log.Ask<SegmentsCompacted>(new CompactSegments(even), Patience);
        Assert.Contains(compacted.Segments, s => s.Replaced);
        await AwaitConditionAsync(() => Task.FromResult(RecoveryPointFile.Read(options.Directory)?.End == durable), Patience);
        await WriteAheadLog.StopAsync(log, Patience);

        var (facts, scanStart) = RecoveredFacts.Of(options.Directory, usePoint: true, StoreOptions);
        Assert.Equal(RecoveredFacts.Of(options.Directory, usePoint: false, StoreOptions).Facts, facts);
        var report = await new WalClient(Sys, WriteAheadLog.Start(Sys, options, "second")).Ready;

        Assert.Equal(report.End, scanStart);
        Assert.Equal(0, report.ScannedBytes);
    }

    private static WalOptions Options(TempDirectory directory) => SmallLog(directory.Combine("log")) with { SegmentSize = S };

    /// <summary>Appends batches of small records until about <paramref name="bytes"/> more are durable.</summary>
    private static async Task AppendAsync(WalClient client, long bytes)
    {
        var start = (await client.GetStatusAsync()).DurableEnd.Value;
        for (var i = 0; (await client.GetStatusAsync()).DurableEnd.Value - start < bytes; i++)
        {
            await client.AppendBatchAsync(Enumerable.Range(i * 50, 50).Select(n => (ReadOnlyMemory<byte>)Payload(n)).ToArray());
        }
    }

    /// <summary>Stops the log abruptly (no close marker, no recovery point at the end) and waits until it is gone.</summary>
    private async Task WatchedStop(IActorRef log)
    {
        Watch(log);
        Sys.Stop(log);
        await ExpectTerminatedAsync(log, Patience);
    }
}
