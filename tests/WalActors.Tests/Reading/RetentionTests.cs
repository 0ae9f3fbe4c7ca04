using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

public sealed class RetentionTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task A_size_limit_drops_the_oldest_segments_on_its_own_and_keeps_the_newest_records()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with
        {
            SegmentSize = 4096,
            RetentionMaxBytes = 3 * 4096,
            RetentionCheckInterval = TimeSpan.FromMilliseconds(50),
        };
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "size-limited"));
        // About 64 KiB of records: sixteen segments, so the limit has to drop most of them.
        var lsns = new List<Lsn>();
        for (var i = 0; i < 2000; i++)
        {
            lsns.Add(await client.AppendAsync(Payload(i)));
        }

        // Awaited to the limit's own stop rule (what is held is within the limit, so no later check drops more): the read
        // below must not race a truncation still to come.
        await AwaitAssertAsync(async () =>
        {
            var status = await client.GetStatusAsync();
            Assert.True(status.Head.Value > 0 && status.DurableEnd.Value - status.Head.Value <= options.RetentionMaxBytes, $"head {status.Head}, durable end {status.DurableEnd}");
        }, TimeSpan.FromSeconds(20));

        var status = await client.GetStatusAsync();
        var page = await client.ReadAsync(lsns.First(l => l >= status.Head), 1000);
        Assert.Equal(lsns.Where(l => l >= status.Head), page.Records.Select(r => r.Lsn));
        Assert.True(Directory.GetFiles(options.Directory, "*.seg").Length <= 5);
    }

    [Fact]
    public async Task An_age_limit_drops_segments_last_written_before_it()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with
        {
            SegmentSize = 4096,
            RetentionMaxAge = TimeSpan.FromHours(1),
            RetentionCheckInterval = TimeSpan.FromMilliseconds(50),
        };
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "age-limited"));
        for (var i = 0; i < 300; i++)
        {
            await client.AppendAsync(Payload(i));
        }

        var segments = Directory.GetFiles(options.Directory, "*.seg").Order().ToArray();
        File.SetLastWriteTimeUtc(segments[0], DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(segments[1], DateTime.UtcNow.AddHours(-2));

        await AwaitAssertAsync(async () => Assert.Equal(2 * 4096, (await client.GetStatusAsync()).Head.Value), TimeSpan.FromSeconds(20));
        Assert.False(File.Exists(segments[0]));
        Assert.False(File.Exists(segments[1]));
        Assert.True(File.Exists(segments[2]));
    }
}
