using WalActors.Compaction;
using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Compaction;
using WalActors.Tests.Support;

namespace WalActors.Tests.Recovery;

/// <summary>
/// The recovery point: recovery that starts from one reads only what follows it and finds exactly what a scan from the
/// head finds (records, record starts, consumers, tail, verdict); one that does not match the log (torn, missing,
/// corrupt, stale, of another log) is ignored and the scan starts at the head; a kill at any step of writing one leaves
/// a log that recovers the same; retention, compaction and recycling keep it valid or delete it.
/// </summary>
public sealed class RecoveryPointTests : IDisposable
{
    private const long S = CompactionLog.SegmentSize;
    private static readonly SegmentedStoreOptions StoreOptions = new() { SegmentSize = S, RecycleSegments = 2 };
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_recovery_point_at_the_end_lets_recovery_read_nothing_and_find_what_a_scan_from_the_head_finds()
    {
        long end;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            end = WriteMixed(new CompactionLog(store), segments: 6).End;
            StorePoint(store, end);
        }

        var (facts, scanStart) = RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions);

        Assert.Equal(end, scanStart);
        Assert.Equal(RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts, facts);
    }

    [Fact]
    public void Recovery_from_a_recovery_point_reads_only_what_was_written_after_it_torn_tail_and_later_commits_included()
    {
        long point;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var log = WriteMixed(new CompactionLog(store), segments: 4);
            point = log.End;
            StorePoint(store, point);

            // After it: consumer a moves on, c is removed, a new consumer appears, and a write is torn at the end.
            log.AppendCommit(new ConsumerCommit("a", log.Records[^1].Lsn, Lossy: false));
            log.AppendCommit(new ConsumerCommit("c", 0, Lossy: true, Removed: true));
            log.AppendRecords(30);
            log.AppendCommit(new ConsumerCommit("d", log.Records[^3].Lsn, Lossy: false), outputs: 2);
            log.AppendRecords(10);
            var torn = new byte[FrameCodec.FrameSize(100)];
            FrameCodec.Encode(torn, log.End, FrameKind.Full, TestLog.Payload(7, 100), log.End);
            store.WriteAt(log.End, torn.AsSpan(0, 40));
        }

        var (facts, scanStart) = RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions);

        Assert.Equal(point, scanStart);
        Assert.Equal(RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts, facts);
        Assert.Contains("dropped 40", facts, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_torn_or_corrupt_recovery_point_file_is_ignored_and_recovery_scans_from_the_head()
    {
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            StorePoint(store, WriteMixed(new CompactionLog(store), segments: 3).End);
        }

        var expected = RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts;
        var file = Path.Combine(LogPath, RecoveryPointFile.FileName);
        var original = File.ReadAllBytes(file);
        // Every cut and flipped byte of the header, every seventh of the body, and a byte too many.
        var positions = Enumerable.Range(0, original.Length).Where(i => i < 24 || i % 7 == 0).ToArray();
        var variants = positions.Select(cut => original[..cut]).Concat(positions.Select(i => Flipped(original, i))).Append([.. original, 0]);
        foreach (var bytes in variants)
        {
            File.WriteAllBytes(file, bytes);
            var (facts, scanStart) = RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions);

            Assert.Equal(0, scanStart);
            Assert.Equal(expected, facts);
        }

        File.Delete(file);
        Assert.Equal((expected, 0L), RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions));
    }

    [Fact]
    public void A_recovery_point_whose_frame_checksums_do_not_match_the_log_is_ignored()
    {
        LogPrefix prefix;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var end = WriteMixed(new CompactionLog(store), segments: 3).End;
            prefix = Scanned(store, end);
        }

        var expected = RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts;
        var (lsn, checksum) = prefix.LastFrame;
        var segments = prefix.Segments;
        LogPrefix[] mismatching =
        [
            Restore(prefix, (lsn, checksum ^ 1), segments),
            Restore(prefix, (lsn - 8, checksum), segments),
            Restore(prefix, (lsn, checksum), [.. segments.SkipLast(1), new SegmentSummary(segments[^1].FirstStart, segments[^1].FirstChecksum ^ 1)]),
        ];
        foreach (var wrong in mismatching)
        {
            using (var store = SegmentedStore.Open(LogPath, StoreOptions))
            {
                Assert.True(RecoveryPoint.Write(store, wrong, store.RecoveryPointEpoch));
            }

            Assert.Equal((expected, 0L), RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions));
        }
    }

    [Fact]
    public void A_recovery_point_of_a_log_cut_below_it_replaced_or_with_a_segment_from_elsewhere_is_ignored()
    {
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            StorePoint(store, WriteMixed(new CompactionLog(store), segments: 4).End);
        }

        var point = File.ReadAllBytes(Path.Combine(LogPath, RecoveryPointFile.FileName));
        var other = _directory.Combine("other");
        using (var store = SegmentedStore.Open(other, StoreOptions))
        {
            var log = new CompactionLog(store);
            log.AppendRecords(1, length: 60);
            WriteMixed(log, segments: 5);
        }

        // Cut below the point and written again (by a tool that left the file behind): other bytes where it vouched.
        var cut = RecoveredFacts.CopyOf(LogPath);
        using (var store = SegmentedStore.Open(cut, StoreOptions))
        {
            LogRecovery.Recover(store, RecoveredFacts.FullScan, cut);
            var at = store.RecordStartAtOrAfter(2 * S)!.Value;
            store.Truncate(at);
            TestLog.AppendMany(store, 200, maxLength: 60, start: at);
        }

        // Replaced: another log of the same shape; restored: one segment copied in from it.
        var replaced = RecoveredFacts.CopyOf(other);
        var restored = RecoveredFacts.CopyOf(LogPath);
        File.Copy(Path.Combine(other, SegmentFileNames.For(2 * S)), Path.Combine(restored, SegmentFileNames.For(2 * S)), overwrite: true);
        foreach (var directory in new[] { cut, replaced, restored })
        {
            File.WriteAllBytes(Path.Combine(directory, RecoveryPointFile.FileName), point);
            using var store = SegmentedStore.Open(directory, StoreOptions);

            Assert.NotNull(store.ReadRecoveryPoint());
            Assert.Null(RecoveryPoint.Load(store, store, TestLog.MaxRecordSize));
        }
    }

    [Fact]
    public void A_kill_at_any_step_of_writing_a_recovery_point_leaves_a_log_that_recovers_as_a_scan_from_the_head_does()
    {
        var snapshots = new List<(string Step, string Directory)>();
        long first;
        long second;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var log = WriteMixed(new CompactionLog(store), segments: 3);
            first = log.End;
            StorePoint(store, first);
            WriteMixed(log, segments: 2);
            second = log.End;
            snapshots.Add(("before", RecoveredFacts.CopyOf(LogPath)));
            store.RecoveryPointStepDone = step => snapshots.Add((step, RecoveredFacts.CopyOf(LogPath)));
            StorePoint(store, second);
        }

        Assert.Equal(["before", "recovery point written", "recovery point renamed", "recovery point directory synced"], snapshots.Select(s => s.Step));
        var expected = RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts;
        foreach (var (step, directory) in snapshots)
        {
            var (facts, scanStart) = RecoveredFacts.Of(directory, usePoint: true, StoreOptions);

            Assert.True(expected == facts, $"killed after '{step}': {facts}");
            Assert.Equal(step.EndsWith("renamed", StringComparison.Ordinal) || step.EndsWith("synced", StringComparison.Ordinal) ? second : first, scanStart);
        }

        // A power loss before the directory sync may lose the rename: the old file and a temporary one, torn or whole.
        var lost = snapshots[1].Directory;
        var pending = Path.Combine(lost, RecoveryPointFile.FileName + SegmentFileNames.PendingExtension);
        File.WriteAllBytes(pending, File.ReadAllBytes(pending)[..20]);
        Assert.Equal((expected, first), RecoveredFacts.Of(lost, usePoint: true, StoreOptions));
    }

    [Fact]
    public void Retention_after_a_recovery_point_leaves_it_valid_for_what_a_scan_from_the_new_head_finds()
    {
        long point;
        string before;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var log = WriteMixed(new CompactionLog(store), segments: 6);
            point = log.End;
            StorePoint(store, point);

            before = RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts;
            Assert.True(store.TruncateBefore(5 * S) > 4 * S);
        }

        var (facts, scanStart) = RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions);

        Assert.Equal(point, scanStart);
        Assert.Equal(RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts, facts);

        // Some consumer's latest commit lay in what retention dropped: a scan from the new head no longer knows it.
        Assert.NotEqual(ConsumersLine(before), ConsumersLine(facts));
    }

    [Fact]
    public void A_recovery_point_kept_across_retention_recycling_and_writes_over_recycled_segments_matches_a_scan_from_the_head()
    {
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var log = WriteMixed(new CompactionLog(store), segments: 5);
            var prefix = Scanned(store, log.End);
            store.TruncateBefore(3 * S);
            Assert.NotEmpty(store.RecycledSegments);

            // As the recovery point actor does: scan on over the writes into the recycled files, drop what retention dropped.
            WriteMixed(log, segments: 3);
            Assert.True(prefix.ScanTo(store, log.End, TestLog.MaxRecordSize, LogPath));
            Assert.True(prefix.Rebase(store.Head));
            Assert.True(RecoveryPoint.Write(store, prefix, store.RecoveryPointEpoch));
        }

        var (facts, scanStart) = RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions);

        Assert.True(scanStart > 6 * S, $"scan started at {scanStart}");
        Assert.Equal(RecoveredFacts.Of(LogPath, usePoint: false, StoreOptions).Facts, facts);
    }

    [Fact]
    public void Compaction_deletes_the_recovery_point_before_the_compacted_segment_takes_the_place_of_the_old_one()
    {
        var file = Path.Combine(LogPath, RecoveryPointFile.FileName);
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var log = WriteMixed(new CompactionLog(store), segments: 4);
            StorePoint(store, log.End);
            var epoch = store.RecoveryPointEpoch;
            var existedAtRename = true;

            var result = SegmentCompactor.Compact(store, S, log.End, TestLog.MaxRecordSize, CompactionLog.EvenIsLive, () => existedAtRename = File.Exists(file));

            Assert.True(result.Replaced);
            Assert.False(existedAtRename);
            Assert.False(RecoveryPoint.Write(store, Scanned(store, log.End), epoch), "a recovery point scanned before the compaction was written after it");
        }

        Assert.Equal(0, RecoveredFacts.Of(LogPath, usePoint: true, StoreOptions).ScanStart);
    }

    [Fact]
    public void Truncating_below_the_recovery_point_deletes_it_and_truncating_above_keeps_it()
    {
        var file = Path.Combine(LogPath, RecoveryPointFile.FileName);
        using var store = SegmentedStore.Open(LogPath, StoreOptions);
        var log = WriteMixed(new CompactionLog(store), segments: 3);
        var point = log.Records[^20].Lsn;
        StorePoint(store, point);

        store.Truncate(log.Records[^10].Lsn);
        Assert.True(File.Exists(file));
        store.Truncate(point - 8);
        Assert.False(File.Exists(file));
    }

    /// <summary>Records of assorted sizes, batches, and commits of three consumers (one lossy), over about <paramref name="segments"/> segments.</summary>
    private static CompactionLog WriteMixed(CompactionLog log, int segments)
    {
        var target = log.End + segments * S;
        var round = 0;
        while (log.End < target)
        {
            log.AppendRecords(3, length: 20 + round % 7 * 31);
            log.AppendBatch(4, length: 150);
            if (round % 5 == 0)
            {
                var consumer = (round / 5 % 3) switch { 0 => "a", 1 => "b", _ => "c" };
                log.AppendCommit(new ConsumerCommit(consumer, log.Records[^2].Lsn, Lossy: consumer == "c"), outputs: round % 2);
            }

            round++;
        }

        log.Store.Sync();
        return log;
    }

    /// <summary>The prefix a scan from the head finds up to <paramref name="end"/>, as the recovery point actor keeps it.</summary>
    private LogPrefix Scanned(SegmentedStore store, long end)
    {
        var prefix = new LogPrefix(store.Head, store.SegmentSize);
        Assert.True(prefix.ScanTo(store, end, TestLog.MaxRecordSize, LogPath));
        Assert.Equal(end, prefix.End);
        return prefix;
    }

    private void StorePoint(SegmentedStore store, long end) =>
        Assert.True(RecoveryPoint.Write(store, Scanned(store, end), store.RecoveryPointEpoch));

    private static LogPrefix Restore(LogPrefix prefix, (long Lsn, uint Checksum) lastFrame, IEnumerable<SegmentSummary> segments) =>
        LogPrefix.Restore(
            prefix.SegmentSize, prefix.Head, prefix.End, prefix.Records, prefix.DurableEnd, prefix.RecordsEnd, prefix.EndsWithCloseMarker, lastFrame,
            prefix.NextSegmentBase, segments, prefix.Consumers.Values);

    private static string ConsumersLine(string facts) => facts.Split(Environment.NewLine).Single(l => l.StartsWith("consumers", StringComparison.Ordinal));

    private static byte[] Flipped(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x10;
        return copy;
    }
}
