using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Format;

/// <summary>Commit frames: not records, a unit of their own or the end of a batch, found by recovery, skipped by readers.</summary>
public sealed class CommitFrameTests
{
    private static readonly RecoveryOptions Options = new(TestLog.MaxRecordSize, InFlightWindow: 4096);

    [Fact]
    public void Recovery_finds_the_latest_commit_of_each_consumer_and_counts_only_records()
    {
        var store = new MemStore();
        var lsn = TestLog.Append(store, 0, [1]);
        var firstCommit = lsn;
        lsn = Commit(store, lsn, new ConsumerCommit("a", 8, Lossy: false));
        lsn = TestLog.Append(store, lsn, [2], FrameKind.First);
        lsn = TestLog.Append(store, lsn, [3], FrameKind.Middle);
        var batchCommit = lsn;
        lsn = Commit(store, lsn, new ConsumerCommit("a", 200, Lossy: true), FrameKind.Commit);
        lsn = Commit(store, lsn, new ConsumerCommit("b", 8, Lossy: false));
        lsn = Commit(store, lsn, new ConsumerCommit("b", 0, Lossy: true, Removed: true));

        var report = LogRecovery.Recover(store, Options, "mem", out var prefix);
        var consumers = prefix.Consumers;

        Assert.Equal(3, report.RecordCount);
        Assert.Equal(lsn, report.End);
        Assert.False(report.HadTornTail);
        Assert.Equal(["a"], consumers.Keys);
        Assert.Equal((new ConsumerCommit("a", 200, true), batchCommit), consumers["a"]);
        Assert.NotEqual(firstCommit, consumers["a"].Lsn);
        Assert.Equal([1, 2, 3], ReadFirstBytes(store, 0, lsn));
    }

    [Fact]
    public void A_batch_whose_commit_frame_is_torn_is_cut_whole_and_its_commit_does_not_count()
    {
        var store = new MemStore();
        var firstEnd = TestLog.Append(store, 0, [1]);
        var kept = Commit(store, firstEnd, new ConsumerCommit("a", firstEnd, Lossy: false));
        long lsn;
        lsn = TestLog.Append(store, kept, [2], FrameKind.First);
        var commitAt = lsn;
        lsn = Commit(store, lsn, new ConsumerCommit("a", 999, Lossy: false));
        store.WriteAt(commitAt + FrameCodec.HeaderSize, new byte[] { 0xFF }); // the commit's payload never fully reached the disk

        var report = LogRecovery.Recover(store, Options, "mem", out var prefix);
        var consumers = prefix.Consumers;

        Assert.Equal(kept, report.End);
        Assert.Equal(1, report.RecordCount);
        Assert.Equal(firstEnd, consumers["a"].Commit.Next);
    }

    [Fact]
    public void A_commit_frame_that_validates_but_does_not_decode_is_damage_named_by_its_lsn()
    {
        var store = new MemStore();
        var lsn = TestLog.Append(store, 0, [1]);
        TestLog.Append(store, lsn, [9, 9, 9], FrameKind.Commit);

        var error = Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(store, Options, "mem"));
        Assert.Equal(lsn, error.Lsn);
    }

    [Theory]
    [InlineData(0)] // before the record
    [InlineData(1)] // at the standalone commit
    [InlineData(2)] // at the batch's first record
    [InlineData(3)] // inside the batch
    [InlineData(4)] // at the batch's commit
    public void A_reader_started_at_any_frame_yields_exactly_the_records_from_there(int startFrame)
    {
        var store = new MemStore();
        long[] frames = new long[6];
        frames[0] = 0;
        frames[1] = TestLog.Append(store, frames[0], [1]);
        frames[2] = Commit(store, frames[1], new ConsumerCommit("a", frames[1], false));
        frames[3] = TestLog.Append(store, frames[2], [2], FrameKind.First);
        frames[4] = TestLog.Append(store, frames[3], [3], FrameKind.Middle);
        frames[5] = Commit(store, frames[4], new ConsumerCommit("a", frames[4], false));
        var after = TestLog.Append(store, frames[5], [4]);

        byte[][] expected = [[1, 2, 3, 4], [2, 3, 4], [2, 3, 4], [3, 4], [4]];
        Assert.Equal(expected[startFrame], ReadFirstBytes(store, frames[startFrame], after));
    }

    [Fact]
    public void Kind_seven_is_a_valid_frame_kind_and_the_reserved_six_is_not()
    {
        var frame = new byte[FrameCodec.FrameSize(1)];
        FrameCodec.Encode(frame, 0, FrameKind.Commit, [1], 0);
        Assert.Equal(FrameFault.None, FrameCodec.CheckHeader(frame, 0, TestLog.MaxRecordSize, out var kind, out _));
        Assert.Equal(FrameKind.Commit, kind);
        FrameCodec.Encode(frame, 0, (FrameKind)6, [1], 0);
        Assert.Equal(FrameFault.BadHeader, FrameCodec.CheckHeader(frame, 0, TestLog.MaxRecordSize, out _, out _));
    }

    [Fact]
    public void The_codec_round_trips_and_refuses_what_it_cannot_read()
    {
        var commit = new ConsumerCommit("projection/orders#3", 123_456_789, Lossy: true);
        Assert.Equal(commit, ConsumerCommitCodec.Decode(ConsumerCommitCodec.Encode(commit)));
        var bytes = ConsumerCommitCodec.Encode(commit);
        Assert.Throws<InvalidDataException>(() => ConsumerCommitCodec.Decode(bytes.AsSpan(0, 5)));
        bytes[0] = 2;
        Assert.Throws<InvalidDataException>(() => ConsumerCommitCodec.Decode(bytes));
        Assert.Throws<ArgumentException>(() => ConsumerCommitCodec.Encode(commit with { Name = "" }));
        Assert.NotNull(ConsumerCommitCodec.Problem(new string('é', 129)));
    }

    /// <summary>The first byte of every record a reader yields from <paramref name="from"/>; checks it read to <paramref name="end"/>.</summary>
    private static List<byte> ReadFirstBytes(IWalStore store, long from, long end)
    {
        using var reader = new CompleteRecordReader(store, from, end, TestLog.MaxRecordSize);
        var firstBytes = new List<byte>();
        while (reader.Next(out var record) == ScanStatus.Record)
        {
            firstBytes.Add(record.Payload.Span[0]);
        }

        Assert.Equal(end, reader.Position);
        return firstBytes;
    }

    private static long Commit(IWalStore store, long lsn, ConsumerCommit commit, FrameKind kind = FrameKind.Commit) =>
        TestLog.Append(store, lsn, ConsumerCommitCodec.Encode(commit), kind);
}
