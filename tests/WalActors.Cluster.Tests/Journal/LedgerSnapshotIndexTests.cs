using Akka.Persistence;
using WalActors.Cluster.Journal;
using WalActors.Persistence.Snapshots;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>How a ledger's index sees snapshot saves of several entries: whole, or not at all.</summary>
public sealed class LedgerSnapshotIndexTests
{
    private const string Id = "counter|x";

    [Fact]
    public void A_save_whose_entries_are_not_all_in_the_ledger_is_not_loadable_and_an_older_whole_one_is()
    {
        var index = new LedgerJournalIndex();
        index.Apply(0, LedgerSnapshotCodec.EncodeSave(SnapshotRecordCodec.EncodeSave(new SnapshotKey(Id, 2, 0), 1, "", 1, [1])));
        index.Apply(1, LedgerSnapshotCodec.EncodeSave(SnapshotRecordCodec.EncodeSave(new SnapshotKey(Id, 9, 0), 1, "", 3, [2])));
        index.Apply(2, LedgerSnapshotCodec.EncodeChunk(1, SnapshotRecordCodec.EncodeChunk([3])));

        var found = index.Snapshots(Id, SnapshotRange.Of(SnapshotSelectionCriteria.Latest));
        Assert.Equal([2L], found.Select(s => s.Key.SequenceNr));
        Assert.Equal([0L], found[0].Positions);
    }

    [Fact]
    public void A_save_with_other_entries_between_its_chunks_is_loadable_from_its_own_entries_in_order()
    {
        var index = new LedgerJournalIndex();
        index.Apply(4, LedgerSnapshotCodec.EncodeSave(SnapshotRecordCodec.EncodeSave(new SnapshotKey(Id, 9, 0), 1, "", 3, [1])));
        index.Apply(5, LedgerSnapshotCodec.EncodeDelete(SnapshotRecordCodec.EncodeDeleteOne(new SnapshotKey("counter|other", 1, DateTime.MinValue.ToBinary()))));
        index.Apply(6, LedgerSnapshotCodec.EncodeChunk(4, SnapshotRecordCodec.EncodeChunk([2])));
        index.Apply(8, LedgerSnapshotCodec.EncodeChunk(4, SnapshotRecordCodec.EncodeChunk([3])));

        var found = Assert.Single(index.Snapshots(Id, SnapshotRange.Of(SnapshotSelectionCriteria.Latest)));
        Assert.Equal([4L, 6L, 8L], found.Positions);
    }

    [Fact]
    public void A_chunk_of_a_save_the_ledger_does_not_hold_is_ignored()
    {
        var index = new LedgerJournalIndex();
        index.Apply(3, LedgerSnapshotCodec.EncodeChunk(1, SnapshotRecordCodec.EncodeChunk([3])));
        Assert.Empty(index.Snapshots(Id, SnapshotRange.Of(SnapshotSelectionCriteria.Latest)));
    }
}
