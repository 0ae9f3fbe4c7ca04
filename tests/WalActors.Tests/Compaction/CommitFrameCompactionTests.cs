using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;
using static WalActors.Tests.Compaction.SegmentCompactorTests;

namespace WalActors.Tests.Compaction;

/// <summary>Compaction keeps consumers' commit frames: alone, and as the end of a batch whose outputs it thins out.</summary>
public sealed class CommitFrameCompactionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Commit_frames_survive_compaction_at_their_lsns_and_a_batch_that_loses_outputs_still_ends_with_its_commit()
    {
        long alone, afterOutputs, afterDeadOutputs;
        List<(long, byte[])> expected;
        using (var store = SegmentedStore.Open(LogPath, CompactionLog.Options))
        {
            var log = new CompactionLog(store);
            log.AppendRecords(3);                                                              // 0, 1, 2
            alone = log.AppendCommit(new ConsumerCommit("alone", 8, Lossy: false));
            afterOutputs = log.AppendCommit(new ConsumerCommit("thinned", 16, Lossy: false), outputs: 3);  // 3, 4, 5: 4 survives
            afterDeadOutputs = log.AppendCommit(new ConsumerCommit("emptied", 24, Lossy: true), outputs: 1); // 6 survives, whole
            log.AppendCommit(new ConsumerCommit("all-dead", 32, Lossy: false), outputs: 1);  // 7 dies: the commit stays, alone
            log.CloseSegmentsBefore(2);

            var results = CompactClosed(log, CompactionLog.EvenIsLive);

            Assert.Contains(results, r => r.Replaced);
            expected = Expected(log, CompactionLog.EvenIsLive);
            AssertSameRecords(expected, ReadComplete(store));
            var kinds = FramesAt(store, [alone, afterOutputs, afterDeadOutputs]);
            Assert.Equal([FrameKind.Commit, FrameKind.Commit, FrameKind.Commit], kinds);
        }

        // A reopened log finds every consumer where it committed, the one whose outputs all died included.
        using var reopened = SegmentedStore.Open(LogPath, CompactionLog.Options);
        LogRecovery.Recover(reopened, new RecoveryOptions(TestLog.MaxRecordSize, 1024 * 1024), LogPath, out var prefix);
        var consumers = prefix.Consumers;
        Assert.Equal(["all-dead", "alone", "emptied", "thinned"], consumers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(afterOutputs, consumers["thinned"].Lsn);
        Assert.Equal(16, consumers["thinned"].Commit.Next);
        AssertSameRecords(expected, ReadComplete(reopened));
    }

    /// <summary>The kind of the valid frame at each LSN (after compaction, the bytes there were written again).</summary>
    private static List<FrameKind> FramesAt(IWalStore store, long[] lsns)
    {
        var kinds = new List<FrameKind>();
        foreach (var lsn in lsns)
        {
            using var scanner = new RecordScanner(store, lsn, store.Length, TestLog.MaxRecordSize);
            Assert.Equal(ScanStatus.Record, scanner.Next(out var frame));
            Assert.Equal(lsn, frame.Lsn);
            kinds.Add(frame.Kind);
        }

        return kinds;
    }
}
