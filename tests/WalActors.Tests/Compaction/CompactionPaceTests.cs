using WalActors.Compaction;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Compaction;

public sealed class CompactionPaceTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_pass_that_does_no_work_of_its_own_takes_its_bytes_divided_by_the_rate()
    {
        var clock = new FakeClock();
        var pace = clock.Pace(bytesPerSecond: MiB);

        for (var i = 0; i < 64; i++)
        {
            pace.Scanned(64 * 1024);
        }

        Assert.Equal(4.0, clock.Now.TotalSeconds, 6);
        Assert.Equal(16, clock.Waits);
    }

    [Fact]
    public void Time_the_pass_spent_elsewhere_counts_for_one_burst_at_most()
    {
        var clock = new FakeClock();
        var pace = clock.Pace(bytesPerSecond: MiB);
        pace.Scanned(MiB);
        var afterFirst = clock.Now;

        clock.Now += TimeSpan.FromSeconds(10); // a segment's final sync and rename, or a slow disk
        var waitedBefore = clock.Waited;
        pace.Scanned(MiB);

        Assert.Equal(TimeSpan.FromSeconds(1), afterFirst);
        Assert.Equal(1.0 - (double)CompactionPace.Burst / MiB, (clock.Waited - waitedBefore).TotalSeconds, 6);
    }

    [Fact]
    public void A_pass_slower_than_its_rate_never_waits()
    {
        var clock = new FakeClock();
        var pace = clock.Pace(bytesPerSecond: MiB);
        for (var i = 0; i < 8; i++)
        {
            clock.Now += TimeSpan.FromSeconds(1); // the pass's own work: 256 KiB a second, a quarter of the rate
            pace.Scanned(CompactionPace.Burst);
        }

        Assert.Equal(0, clock.Waits);
    }

    [Fact]
    public void A_rate_of_zero_never_waits()
    {
        var clock = new FakeClock();
        var pace = clock.Pace(bytesPerSecond: 0);

        pace.Scanned(1024 * MiB);

        Assert.False(pace.IsLimited);
        Assert.Equal(0, clock.Waits);
        Assert.Equal(TimeSpan.Zero, clock.Now);
    }

    [Fact]
    public void A_paced_pass_keeps_and_drops_exactly_what_an_unpaced_one_does_and_waits_for_its_bytes()
    {
        using var paced = SegmentedStore.Open(_directory.Combine("paced"), CompactionLog.Options);
        using var unpaced = SegmentedStore.Open(_directory.Combine("unpaced"), CompactionLog.Options);
        var pacedLog = new CompactionLog(paced);
        var unpacedLog = new CompactionLog(unpaced);
        foreach (var log in new[] { pacedLog, unpacedLog })
        {
            log.AppendRecords(400);
            log.CloseSegmentsBefore(12);
        }

        const long rate = 64 * 1024;
        var clock = new FakeClock();
        var pace = clock.Pace(rate);
        var pacedResults = paced.Segments.SkipLast(1).Where(s => s.BaseOffset + s.Size <= pacedLog.End)
            .Select(s => SegmentCompactor.Compact(paced, s.BaseOffset, pacedLog.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive, pace: pace))
            .ToList();
        var unpacedResults = SegmentCompactorTests.CompactClosed(unpacedLog, CompactionLog.EvenIsLive);

        Assert.Equal(unpacedResults.Select(r => (r.BaseOffset, r.RecordsKept, r.RecordsDropped, r.BytesAfter)),
            pacedResults.Select(r => (r.BaseOffset, r.RecordsKept, r.RecordsDropped, r.BytesAfter)));
        SegmentCompactorTests.AssertSameRecords(SegmentCompactorTests.ReadComplete(unpaced), SegmentCompactorTests.ReadComplete(paced));
        // Every byte of the closed segments was scanned and paid for, give or take the burst not yet looked at and the
        // records that cross a segment's end (read by the segment they start in and kept by the next one).
        var scanned = pacedResults.Count * (long)CompactionLog.SegmentSize;
        Assert.InRange(clock.Now.TotalSeconds, (double)(scanned - CompactionPace.Burst) / rate, (double)(scanned + (pacedResults.Count * 256)) / rate);
    }

    /// <summary>A clock that moves only when the pace waits (or a test moves it).</summary>
    private sealed class FakeClock
    {
        public TimeSpan Now { get; set; }

        public TimeSpan Waited { get; private set; }

        public int Waits { get; private set; }

        public CompactionPace Pace(long bytesPerSecond) => new(bytesPerSecond, () => Now, Wait);

        private void Wait(TimeSpan span)
        {
            Assert.True(span > TimeSpan.Zero, $"asked to wait {span}");
            Now += span;
            Waited += span;
            Waits++;
        }
    }
}
