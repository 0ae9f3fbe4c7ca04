using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

/// <summary>
/// Read-only tools on a log another process is writing: they know a writer is there, judge only what it reports
/// durable, and a follower that reaches damage says so instead of waiting for ever.
/// </summary>
public sealed class LiveLogInspectionTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task A_healthy_live_log_with_bytes_in_flight_past_its_durable_end_inspects_as_clean_and_names_its_writer()
    {
        using var directory = new TempDirectory();
        var (client, lsns) = await StartWriting(directory.Combine("log"), 200);
        var end = await AwaitPublished(client, directory.Combine("log"));

        // What a writer in flight leaves past the durable end: half a frame.
        Scribble(directory.Combine("log"), end + 4096, [(byte)'W', (byte)'A', 2, 1, 40, 0, 0, 0, 1, 2, 3]);
        var inspection = WalDirectory.Inspect(directory.Combine("log"));

        Assert.Equal(LogTail.Clean, inspection.Tail);
        Assert.Equal(Environment.ProcessId, inspection.WriterProcessId);
        Assert.Equal(end, inspection.WriterDurableEnd!.Value.Value);
        Assert.Equal(lsns.Count, inspection.RecordCount);
    }

    [Fact]
    public async Task A_record_damaged_below_the_durable_end_of_a_live_log_is_damage()
    {
        using var directory = new TempDirectory();
        var (client, lsns) = await StartWriting(directory.Combine("log"), 50);
        await AwaitPublished(client, directory.Combine("log"));

        Scribble(directory.Combine("log"), lsns[^1] + 20, [0xEE]);
        var inspection = WalDirectory.Inspect(directory.Combine("log"));

        Assert.Equal(LogTail.Damaged, inspection.Tail);
        Assert.Equal(lsns[^1], inspection.End.Value);
        Assert.Contains($"process {Environment.ProcessId}", inspection.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follower_that_reaches_damage_fails_with_it_instead_of_waiting_for_ever()
    {
        using var directory = new TempDirectory();
        var (client, lsns) = await StartWriting(directory.Combine("log"), 100);
        await AwaitPublished(client, directory.Combine("log"));
        Scribble(directory.Combine("log"), lsns[60] + 20, [0xEE]);

        var followed = new List<long>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<LogDamagedException>(async () =>
        {
            await foreach (var record in WalDirectory.Follow(directory.Combine("log"), cancellationToken: cancel.Token))
            {
                followed.Add(record.Lsn.Value);
            }
        });

        Assert.False(cancel.IsCancellationRequested, "the follower waited instead of reporting the damage");
        Assert.Equal(lsns[60], error.Lsn);
        Assert.Equal(lsns.Take(60), followed);
    }

    [Fact]
    public async Task A_status_left_by_a_process_that_is_gone_is_not_taken_for_a_live_writer()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        var (client, _) = await StartWriting(path, 10);
        await WriteAheadLog.StopAsync(client.Log, TimeSpan.FromSeconds(20));
        Assert.False(File.Exists(Path.Combine(path, LiveStatus.FileName)), "a clean stop removes the status before it is answered");

        // A killed writer leaves its status behind; another process id (or this one with another start time) is not it.
        using (var file = File.OpenHandle(Path.Combine(path, LiveStatus.FileName), FileMode.Create, FileAccess.ReadWrite))
        {
            new LiveStatus(Environment.ProcessId, DateTime.UtcNow.AddDays(-3).Ticks, 1 << 20).WriteTo(file, "status");
        }

        Assert.Null(LiveStatus.ReadLive(path));
        var inspection = WalDirectory.Inspect(path);
        Assert.Null(inspection.WriterProcessId);
        Assert.Equal(LogTail.Clean, inspection.Tail);
    }

    private async Task<(WalClient Client, List<long> Lsns)> StartWriting(string directory, int count)
    {
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, SmallLog(directory), "live-" + Guid.NewGuid().ToString("N")[..6]));
        var lsns = new List<long>();
        for (var i = 0; i < count; i++)
        {
            lsns.Add((await client.AppendAsync(Payload(i))).Value);
        }

        return (client, lsns);
    }

    /// <summary>Waits until the published status covers everything acknowledged; returns that durable end.</summary>
    private async Task<long> AwaitPublished(WalClient client, string directory)
    {
        var durable = (await client.GetStatusAsync()).DurableEnd.Value;
        await AwaitAssertAsync(() => Assert.Equal(durable, LiveStatus.ReadLive(directory)?.DurableEnd), TimeSpan.FromSeconds(10));
        return durable;
    }

    private static void Scribble(string directory, long lsn, byte[] bytes)
    {
        var file = Path.Combine(directory, SegmentFileNames.For(0));
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = lsn;
        stream.Write(bytes);
    }
}
