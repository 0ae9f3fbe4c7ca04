using WalActors.Compaction;
using WalActors.Format;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Compaction;

public sealed class SegmentCompactorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Dead_records_are_dropped_and_every_survivor_keeps_its_lsn()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(100);
        log.CloseSegmentsBefore(4);
        var before = store.BytesOnDisk;

        var results = CompactClosed(log, CompactionLog.EvenIsLive);

        Assert.All(results, r => Assert.True(r.Replaced));
        Assert.True(store.BytesOnDisk < before, $"{store.BytesOnDisk} bytes on disk, {before} before");
        AssertSameRecords(Expected(log, CompactionLog.EvenIsLive), ReadComplete(store));
        Assert.Equal(
            log.Records.Count(r => !CompactionLog.EvenIsLive(r.Lsn, r.Lsn, r.Payload) && !Straddles(r.Lsn, r.Payload) && r.Lsn < results.Count * CompactionLog.SegmentSize),
            results.Sum(r => r.RecordsDropped));
    }

    [Fact]
    public void A_compacted_log_reopens_and_recovers_to_the_same_end_with_the_same_records()
    {
        long end;
        List<(long, byte[])> expected;
        using (var store = SegmentedStore.Open(LogPath, CompactionLog.Options))
        {
            var log = new CompactionLog(store);
            log.AppendRecords(100);
            log.CloseSegmentsBefore(4);
            CompactClosed(log, CompactionLog.EvenIsLive);
            end = log.End;
            expected = Expected(log, CompactionLog.EvenIsLive);
        }

        Assert.Equal(4, Directory.GetFiles(LogPath, "*.cseg").Length);
        Assert.DoesNotContain(Directory.GetFiles(LogPath, "*.seg"), f => Path.GetFileName(f).StartsWith("00000000000000000000", StringComparison.Ordinal));
        using var reopened = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var report = WalActors.Recovery.LogRecovery.Recover(reopened, new WalActors.Recovery.RecoveryOptions(TestLog.MaxRecordSize, 1024 * 1024), LogPath);
        Assert.Equal(end, report.End);
        Assert.Null(report.SalvagedDamageAt);
        Assert.False(report.HadTornTail);
        AssertSameRecords(expected, ReadComplete(reopened));
    }

    [Fact]
    public void A_batch_that_loses_records_is_framed_again_as_a_smaller_whole_batch()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendBatch(5);
        log.AppendBatch(3);
        log.CloseSegmentsBefore(2);

        CompactClosed(log, CompactionLog.EvenIsLive);

        // Records 0, 2, 4 of the first batch and 6 of the second survive; a reader sees each batch complete.
        var frames = Frames(store, 0, CompactionLog.SegmentSize);
        Assert.Equal([FrameKind.First, FrameKind.Middle, FrameKind.Last, FrameKind.Full], frames.Take(4).Select(f => f.Kind));
        Assert.Equal([0, 2, 4, 6], frames.Take(4).Select(f => CompactionLog.NumberOf(f.Payload)));
        AssertSameRecords(Expected(log, CompactionLog.EvenIsLive), ReadComplete(store));
    }

    [Fact]
    public void A_batch_that_runs_into_the_next_segment_is_kept_whole()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(30);                 // 30 x 120 bytes = 3,600: the batch starts in segment 0 and ends in segment 1
        log.AppendBatch(6);
        var batch = log.Records.Skip(30).Select(r => r.Lsn).ToList();
        Assert.True(batch[0] < CompactionLog.SegmentSize && batch[^1] >= CompactionLog.SegmentSize);
        log.CloseSegmentsBefore(3);

        CompactClosed(log, (_, _, _) => false);

        // Everything dead, yet the batch straddling the boundary is there in both segments, unchanged.
        var records = ReadComplete(store);
        Assert.Equal(log.Records.Skip(30).Take(6).Select(r => r.Lsn), records.Take(6).Select(r => r.Item1));
        AssertSameRecords(log.Records.Skip(30).Take(6).ToList(), records.Take(6).ToList());
    }

    [Fact]
    public void Compacting_a_compacted_segment_again_drops_what_has_died_since()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(60);
        log.CloseSegmentsBefore(3);
        CompactClosed(log, CompactionLog.EvenIsLive);
        var afterFirst = store.BytesOnDisk;

        static bool MultipleOfFour(long lsn, long batchStart, ReadOnlySpan<byte> payload) => CompactionLog.NumberOf(payload) % 4 == 0;
        var again = CompactClosed(log, MultipleOfFour);

        Assert.Contains(again, r => r.Replaced);
        Assert.True(store.BytesOnDisk < afterFirst);
        AssertSameRecords(Expected(log, (lsn, b, p) => CompactionLog.EvenIsLive(lsn, b, p) && MultipleOfFour(lsn, b, p)), ReadComplete(store));
    }

    [Fact]
    public void A_segment_with_nothing_dead_is_left_as_it_is()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(40);
        log.CloseSegmentsBefore(2);

        var results = CompactClosed(log, (_, _, _) => true);

        Assert.All(results, r => Assert.False(r.Replaced));
        Assert.Empty(Directory.GetFiles(LogPath, "*.cseg"));
        Assert.Empty(Directory.GetFiles(LogPath, "*.tmp"));
        Assert.Equal(log.Records.Select(r => r.Lsn), ReadComplete(store).Select(r => r.Item1));
    }

    [Fact]
    public void The_segment_being_written_and_a_segment_not_yet_durable_are_refused()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(50);

        Assert.Throws<InvalidOperationException>(() => SegmentCompactor.Compact(store, 0, CompactionLog.SegmentSize - 1, TestLog.MaxRecordSize, CompactionLog.EvenIsLive));
        var last = store.Segments[^1].BaseOffset;
        Assert.Throws<InvalidOperationException>(() => SegmentCompactor.Compact(store, last, log.End + CompactionLog.SegmentSize, TestLog.MaxRecordSize, CompactionLog.EvenIsLive));
    }

    [Fact]
    public void A_scan_that_read_part_of_a_dead_record_before_compaction_finishes_in_the_new_layout_without_a_false_fault()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(40, length: 300);
        log.CloseSegmentsBefore(4);

        // A scanner whose buffer holds a record and the header of the next (dead) one, but not its payload.
        using var scanner = new RecordScanner(store, 0, store.Length, TestLog.MaxRecordSize, bufferSize: 400);
        Assert.Equal(ScanStatus.Record, scanner.Next(out var first));
        Assert.Equal(0, CompactionLog.NumberOf(first.Payload.Span));

        CompactClosed(log, CompactionLog.EvenIsLive);

        var numbers = new List<int>();
        while (scanner.Position < 3 * CompactionLog.SegmentSize && scanner.Next(out var record) == ScanStatus.Record)
        {
            numbers.Add(CompactionLog.NumberOf(record.Payload.Span));
        }

        Assert.True(scanner.Position >= 3 * CompactionLog.SegmentSize, $"the scan stopped at {scanner.Position} ({scanner.Fault})");
        var straddlers = log.Records.Where(r => Straddles(r.Lsn, r.Payload)).Select(r => CompactionLog.NumberOf(r.Payload)).ToHashSet();
        Assert.All(numbers, n => Assert.True(n % 2 == 0 || straddlers.Contains(n), $"dead record {n} was read"));
        Assert.Contains(2, numbers);
    }

    [Fact]
    public void Truncating_inside_a_compacted_segment_keeps_only_what_lies_before_the_cut()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var log = new CompactionLog(store);
        log.AppendRecords(60);
        log.CloseSegmentsBefore(3);
        CompactClosed(log, CompactionLog.EvenIsLive);
        var survivors = Expected(log, CompactionLog.EvenIsLive);
        var cut = survivors.First(r => r.Item1 > CompactionLog.SegmentSize + 500).Item1;

        store.Truncate(cut);

        AssertSameRecords(survivors.Where(r => r.Item1 < cut).ToList(), ReadComplete(store));
        Assert.Equal(cut, store.Length);
    }

    [Fact]
    public void The_recovery_point_sees_a_pass_as_running_until_its_last_bracket_closes()
    {
        using var store = SegmentedStore.Open(LogPath, CompactionLog.Options);
        var points = (IRecoveryPointStore)store;

        var outer = store.BeginCompactionPass();
        var inner = store.BeginCompactionPass();
        inner.Dispose();
        inner.Dispose(); // ending twice ends once
        var stillRunning = points.IsCompacting;
        outer.Dispose();

        Assert.True(stillRunning);
        Assert.False(points.IsCompacting);
    }

    internal static List<SegmentCompaction> CompactClosed(CompactionLog log, RecordLiveness isLive)
    {
        var store = log.Store;
        return store.Segments.SkipLast(1)
            .Where(s => s.BaseOffset + s.Size <= log.End)
            .Select(s => SegmentCompactor.Compact(store, s.BaseOffset, log.End, TestLog.MaxRecordSize, isLive))
            .ToList();
    }

    internal static List<(long, byte[])> Expected(CompactionLog log, RecordLiveness isLive)
    {
        // Only closed segments are compacted: records that start in the open segment all survive.
        var closedEnd = log.Store.Segments.SkipLast(1).Where(s => s.BaseOffset + s.Size <= log.End).Select(s => s.BaseOffset + s.Size).DefaultIfEmpty(0).Max();
        // A record that crosses from one segment into the next is kept as it is, dead or not.
        return log.Records
            .Where(r => r.Lsn + FrameCodec.FrameSize(r.Payload.Length) > closedEnd || Straddles(r.Lsn, r.Payload) || isLive(r.Lsn, r.Lsn, r.Payload))
            .Select(r => (r.Lsn, r.Payload))
            .ToList();
    }

    internal static void AssertSameRecords(List<(long, byte[])> expected, List<(long, byte[])> actual)
    {
        var wanted = expected.Select(r => $"{r.Item1}#{CompactionLog.NumberOf(r.Item2)}").ToList();
        var found = actual.Select(r => $"{r.Item1}#{CompactionLog.NumberOf(r.Item2)}").ToList();
        Assert.True(wanted.SequenceEqual(found), $"expected {string.Join(" ", wanted)}\nfound    {string.Join(" ", found)}");
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Item2, pair.Second.Item2));
    }

    internal static bool Straddles(long lsn, byte[] payload) =>
        lsn / CompactionLog.SegmentSize != (lsn + FrameCodec.FrameSize(payload.Length) - 1) / CompactionLog.SegmentSize;

    internal static List<(long, byte[])> ReadComplete(IWalStore store)
    {
        var records = new List<(long, byte[])>();
        using var reader = new CompleteRecordReader(store, store.Head, store.Length, TestLog.MaxRecordSize);
        while (reader.Next(out var record) == ScanStatus.Record)
        {
            records.Add((record.Lsn, record.Payload.ToArray()));
        }

        return records;
    }

    private static List<(FrameKind Kind, byte[] Payload)> Frames(IWalStore store, long from, long to)
    {
        var frames = new List<(FrameKind, byte[])>();
        using var scanner = new RecordScanner(store, from, store.Length, TestLog.MaxRecordSize);
        while (scanner.Position < to && scanner.Next(out var record) == ScanStatus.Record)
        {
            frames.Add((record.Kind, record.Payload.ToArray()));
        }

        return frames;
    }
}
