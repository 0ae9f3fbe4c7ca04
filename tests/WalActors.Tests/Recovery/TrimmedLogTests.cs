using Akka.Actor;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Recovery;

/// <summary>
/// Retention drops whole segment files, and records straddle them: the head must land on a record start, durably, so that
/// the log reopens with every record at or after it, and a tail told it fell behind can resume where it was told.
/// </summary>
public sealed class TrimmedLogTests(ITestOutputHelper output) : WalTestKit(output)
{
    private const int Cycles = 12;

    [Fact]
    public async Task A_log_trimmed_by_size_retention_reopens_with_every_record_after_its_head_through_many_cycles()
    {
        using var directory = new TempDirectory();
        var options = Trimmed(directory.Combine("log")) with
        {
            RetentionMaxBytes = 64 * 1024,
            RetentionCheckInterval = TimeSpan.FromMilliseconds(20),
        };
        var acknowledged = new Dictionary<long, byte[]>();
        var random = new Random(11);
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var log = WriteAheadLog.Start(Sys, options, $"size-{cycle}");
            var client = new WalClient(Sys, log);
            var report = await client.Ready;
            await AssertHoldsEveryRecordFromItsHead(client, report, acknowledged);

            var headBefore = (await client.GetStatusAsync()).Head;
            await AppendRecords(client, acknowledged, random, 400);
            await AwaitAssertAsync(
                async () => Assert.True((await client.GetStatusAsync()).Head > headBefore, "retention has not moved the head yet"),
                TimeSpan.FromSeconds(20));
            await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
        }

        // Retention recycled segments (retention.recycle-segments is 2 by default), and every reopen above read over them.
        Assert.NotEmpty(StoreManifest.Read(options.Directory).RecycledSegments);
    }

    [Fact]
    public async Task A_log_trimmed_by_truncate_before_at_arbitrary_positions_reopens_with_every_record_after_its_head()
    {
        using var directory = new TempDirectory();
        var options = Trimmed(directory.Combine("log"));
        var acknowledged = new Dictionary<long, byte[]>();
        var random = new Random(12);
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var log = WriteAheadLog.Start(Sys, options, $"explicit-{cycle}");
            var client = new WalClient(Sys, log);
            var report = await client.Ready;
            await AssertHoldsEveryRecordFromItsHead(client, report, acknowledged);

            await AppendRecords(client, acknowledged, random, 300);
            var kept = acknowledged.Keys.Where(l => l >= report.Head).Order().ToArray();
            var keepFrom = kept[random.Next(kept.Length / 2, kept.Length)];
            var head = await client.TruncateBeforeAsync(new Lsn(keepFrom));

            Assert.True(head.Value <= keepFrom, $"the head {head} passed the requested {keepFrom}");
            var page = await client.ReadAsync(head, 10_000);
            Assert.Contains(keepFrom, page.Records.Select(r => r.Lsn.Value));
            await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task A_log_trimmed_by_age_retention_reopens_with_every_record_after_its_head_through_many_cycles()
    {
        using var directory = new TempDirectory();
        var options = Trimmed(directory.Combine("log")) with
        {
            RetentionMaxAge = TimeSpan.FromHours(1),
            RetentionCheckInterval = TimeSpan.FromMilliseconds(20),
        };
        var acknowledged = new Dictionary<long, byte[]>();
        var random = new Random(15);
        for (var cycle = 0; cycle < Cycles / 2; cycle++)
        {
            var log = WriteAheadLog.Start(Sys, options, $"age-{cycle}");
            var client = new WalClient(Sys, log);
            var report = await client.Ready;
            await AssertHoldsEveryRecordFromItsHead(client, report, acknowledged);

            await AppendRecords(client, acknowledged, random, 400);
            var headBefore = (await client.GetStatusAsync()).Head;

            // Age every segment but the newest two: retention drops them, the head lands inside the first one kept.
            foreach (var old in Directory.GetFiles(options.Directory, "*.seg").Order().SkipLast(2))
            {
                File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
            }

            await AwaitAssertAsync(
                async () => Assert.True((await client.GetStatusAsync()).Head > headBefore, "retention has not moved the head yet"),
                TimeSpan.FromSeconds(20));
            await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task A_tail_overtaken_by_retention_resumes_at_the_head_it_was_given()
    {
        using var directory = new TempDirectory();
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, Trimmed(directory.Combine("log")), "overtaken"));
        var acknowledged = new Dictionary<long, byte[]>();
        await AppendRecords(client, acknowledged, new Random(13), 600);
        var head = await client.TruncateBeforeAsync(new Lsn(acknowledged.Keys.Order().ElementAt(450)));
        Assert.True(head.Value > 0);

        var error = await Assert.ThrowsAsync<LogTruncatedException>(async () =>
        {
            await foreach (var record in client.TailAsync(Lsn.Zero))
            {
                Assert.Fail($"read {record.Lsn} below the head");
            }
        });

        Assert.Equal(head.Value, error.Head);
        var resumed = new List<WalRecord>();
        using var cancel = new CancellationTokenSource();
        await foreach (var record in client.TailAsync(new Lsn(error.Head), cancellationToken: cancel.Token))
        {
            resumed.Add(record);
            Assert.Equal(acknowledged[record.Lsn.Value], record.Payload.ToArray());
            if (record.Lsn.Value == acknowledged.Keys.Max())
            {
                break;
            }
        }

        Assert.Equal(acknowledged.Keys.Where(l => l >= head.Value).Order(), resumed.Select(r => r.Lsn.Value));
    }

    [Fact]
    public async Task A_crash_between_recording_the_new_head_and_deleting_the_files_leaves_a_log_that_opens_at_that_head()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        var options = Trimmed(path);
        var log = WriteAheadLog.Start(Sys, options, "before-crash");
        var client = new WalClient(Sys, log);
        var acknowledged = new Dictionary<long, byte[]>();
        await AppendRecords(client, acknowledged, new Random(14), 500);
        var saved = Directory.GetFiles(path, "*.seg").ToDictionary(f => f, File.ReadAllBytes);
        var head = await client.TruncateBeforeAsync(new Lsn(acknowledged.Keys.Order().ElementAt(300)));
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        // The manifest already names the new head; put back the files the crash kept the store from deleting.
        foreach (var (file, bytes) in saved.Where(s => !File.Exists(s.Key)))
        {
            File.WriteAllBytes(file, bytes);
        }

        var reopened = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "after-crash"));
        var report = await reopened.Ready;

        Assert.Equal(head.Value, report.Head);
        Assert.Equal(acknowledged.Keys.Count(l => l >= head.Value), report.RecordCount);
        Assert.DoesNotContain(Directory.GetFiles(path, "*.seg"), f => SegmentBase(f) + options.SegmentSize <= head.Value);
    }

    private static WalOptions Trimmed(string directory) => SmallLog(directory) with
    {
        SegmentSize = 16 * 1024,
        MaxRecordSize = 1024,
        MaxBatchSize = 4 * 1024,
        WriterBatchSize = 4 * 1024,
        MaxUnsyncedBytes = 64 * 1024,
    };

    private static async Task AppendRecords(WalClient client, Dictionary<long, byte[]> acknowledged, Random random, int count)
    {
        // Records of 100-300 bytes in segments of 16 KiB: most segment boundaries fall inside a record.
        var payloads = Enumerable.Range(0, count).Select(_ =>
        {
            var payload = new byte[random.Next(100, 301)];
            random.NextBytes(payload);
            return payload;
        }).ToArray();
        var lsns = await Task.WhenAll(payloads.Select(p => client.AppendAsync(p)));
        for (var i = 0; i < count; i++)
        {
            acknowledged[lsns[i].Value] = payloads[i];
        }
    }

    private static async Task AssertHoldsEveryRecordFromItsHead(WalClient client, RecoveryReport report, Dictionary<long, byte[]> acknowledged)
    {
        var expected = acknowledged.Keys.Where(l => l >= report.Head).Order().ToArray();
        Assert.Equal(expected.Length, report.RecordCount);
        // Retention runs in the reopened log meanwhile and may drop what has not been read yet: what it dropped is skipped,
        // and everything else recovery reported must be read back.
        var read = new List<WalRecord>();
        var dropped = new List<(long From, long To)>();
        var from = new Lsn(report.Head);
        while (from.Value < report.End)
        {
            ReadResult page;
            try
            {
                page = await client.ReadAsync(from, 1000);
            }
            catch (LogTruncatedException e)
            {
                dropped.Add((from.Value, e.Head));
                from = new Lsn(e.Head);
                continue;
            }

            read.AddRange(page.Records);
            if (page.Records.Count == 0)
            {
                break;
            }

            from = page.Next;
        }

        Assert.Equal(expected.Where(l => !dropped.Any(d => l >= d.From && l < d.To)), read.Select(r => r.Lsn.Value));
        foreach (var record in read)
        {
            Assert.Equal(acknowledged[record.Lsn.Value], record.Payload.ToArray());
        }
    }

    private static long SegmentBase(string file) =>
        SegmentFileNames.TryParse(Path.GetFileName(file), out var baseOffset) ? baseOffset : throw new InvalidOperationException(file);
}
