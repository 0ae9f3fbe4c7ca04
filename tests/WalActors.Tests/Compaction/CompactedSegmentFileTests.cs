using WalActors.Compaction;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Compaction;

/// <summary>The compacted file's crash points and damage: a crash at any step leaves a log that opens with every live record.</summary>
public sealed class CompactedSegmentFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    private static string Whole(long baseOffset) => baseOffset.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".seg";

    private static string Compacted(long baseOffset) => baseOffset.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".cseg";

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_crash_before_the_rename_leaves_the_whole_segment_and_no_leftover_after_the_next_open()
    {
        List<(long, byte[])> all;
        using (var store = SegmentedStore.Open(LogPath, CompactionLog.Options))
        {
            var log = Written(store);
            all = SegmentCompactorTests.ReadComplete(store);
            Assert.Throws<SimulatedCrash>(() => SegmentCompactor.Compact(
                store, 0, log.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive, () => throw new SimulatedCrash()));

            // The store still reads the whole segment, and the compacted file never got its name.
            SegmentCompactorTests.AssertSameRecords(all, SegmentCompactorTests.ReadComplete(store));
            Assert.False(File.Exists(Path.Combine(LogPath, Compacted(0))));
        }

        File.WriteAllBytes(Path.Combine(LogPath, Compacted(0) + ".tmp"), [1, 2, 3]); // as a crash mid-write leaves it
        using var reopened = SegmentedStore.Open(LogPath, CompactionLog.Options);
        SegmentCompactorTests.AssertSameRecords(all, SegmentCompactorTests.ReadComplete(reopened));
        Assert.Empty(Directory.GetFiles(LogPath, "*.tmp"));
    }

    [Fact]
    public void A_crash_between_the_rename_and_the_deletion_opens_with_the_compacted_file_and_finishes_the_deletion()
    {
        var whole = Path.Combine(LogPath, Whole(0));
        List<(long, byte[])> survivors;
        byte[] original;
        using (var store = SegmentedStore.Open(LogPath, CompactionLog.Options))
        {
            var log = Written(store);
            original = File.ReadAllBytes(whole);
            SegmentCompactor.Compact(store, 0, log.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive);
            survivors = SegmentCompactorTests.ReadComplete(store);
        }

        File.WriteAllBytes(whole, original); // the old file is back: the deletion never happened

        using (var readOnly = SegmentedStore.OpenReadOnly(LogPath))
        {
            SegmentCompactorTests.AssertSameRecords(survivors, SegmentCompactorTests.ReadComplete(readOnly));
        }

        Assert.True(File.Exists(whole), "a read-only open changed the directory");
        using var reopened = SegmentedStore.Open(LogPath, CompactionLog.Options);
        SegmentCompactorTests.AssertSameRecords(survivors, SegmentCompactorTests.ReadComplete(reopened));
        Assert.False(File.Exists(whole));
        Assert.True(reopened.Segments[0].IsCompacted);
        Assert.True(reopened.Segments[0].KeptBytes < CompactionLog.SegmentSize);
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("table")]
    [InlineData("header")]
    [InlineData("moved")]
    public void A_damaged_compacted_file_is_refused_naming_it_and_nothing_is_changed(string damage)
    {
        using (var store = SegmentedStore.Open(LogPath, CompactionLog.Options))
        {
            var log = Written(store);
            SegmentCompactor.Compact(store, 0, log.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive);
            SegmentCompactor.Compact(store, CompactionLog.SegmentSize, log.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive);
        }

        var path = Path.Combine(LogPath, Compacted(0));
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "cut":
                File.WriteAllBytes(path, bytes[..^5]);
                break;
            case "table":
                bytes[^30] ^= 0x40;
                File.WriteAllBytes(path, bytes);
                break;
            case "header":
                bytes[9] ^= 0x01;
                File.WriteAllBytes(path, bytes);
                break;
            case "moved":
                // The second segment's compacted file put in the first one's place.
                File.Copy(Path.Combine(LogPath, Compacted(CompactionLog.SegmentSize)), path, overwrite: true);
                break;
        }

        var damaged = File.ReadAllBytes(path);
        var error = Assert.Throws<LogDamagedException>(() => SegmentedStore.Open(LogPath, CompactionLog.Options));
        Assert.Contains(Compacted(0), error.Detail, StringComparison.Ordinal);
        Assert.Equal(damaged, File.ReadAllBytes(path));
    }

    [Fact]
    public void Holes_read_as_zeros_and_the_store_says_where_the_next_kept_bytes_are()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = Written(store);
        var version = store.LayoutVersion;
        SegmentCompactor.Compact(store, 0, log.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive);
        Assert.Equal(version + 1, store.LayoutVersion);

        var dead = log.Records.First(r => !CompactionLog.EvenIsLive(r.Lsn, r.Lsn, r.Payload));
        var next = log.Records.First(r => r.Lsn > dead.Lsn);
        var buffer = new byte[dead.Payload.Length + 16];
        Assert.Equal(buffer.Length, store.ReadAt(dead.Lsn, buffer));
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Equal(next.Lsn, store.DataAtOrAfter(dead.Lsn));
        Assert.Equal(next.Lsn, store.DataAtOrAfter(next.Lsn));
        Assert.Equal(CompactionLog.SegmentSize + 10, store.DataAtOrAfter(CompactionLog.SegmentSize + 10));
        Assert.Throws<InvalidOperationException>(() => store.WriteAt(dead.Lsn, buffer));
    }

    private static CompactionLog Written(SegmentedStore store)
    {
        var log = new CompactionLog(store);
        log.AppendRecords(80);
        log.CloseSegmentsBefore(3);
        return log;
    }

    private sealed class SimulatedCrash : Exception;
}
