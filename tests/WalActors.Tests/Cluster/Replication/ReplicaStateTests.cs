using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>How a copy's records rebuild it: truncates start writers and cut tails, entries must follow on, fences only raise the epoch.</summary>
public sealed class ReplicaStateTests
{
    private static readonly byte[] Key = ReplicaRecord.LedgerKey("counter+3");

    [Fact]
    public void Replaying_the_records_rebuilds_entries_epochs_and_the_highest_epoch_seen()
    {
        var state = Replay(
            ReplicaRecord.Truncate(Key, 1, 0), Entry(1, 1, 0), Entry(1, 1, 1), Entry(1, 1, 2),
            ReplicaRecord.Fence(Key, 3),
            ReplicaRecord.Truncate(Key, 3, 1), Entry(3, 1, 1), Entry(3, 3, 2));

        Assert.Equal(3, state.View.End);
        Assert.Equal([new EpochStart(1, 0), new EpochStart(3, 2)], state.View.History);
        Assert.Equal(3, state.Promised);
        Assert.Equal(3, state.WriterEpoch);
        Assert.Equal(new Lsn(6), state.View.LsnOf(1));
    }

    [Fact]
    public void An_entry_that_does_not_follow_on_is_damage_not_a_silent_gap()
    {
        Assert.Throws<InvalidDataException>(() => Replay(ReplicaRecord.Truncate(Key, 1, 0), Entry(1, 1, 1)));
        Assert.Throws<InvalidDataException>(() => Replay(ReplicaRecord.Truncate(Key, 2, 0), Entry(1, 1, 0)));
        Assert.Throws<InvalidDataException>(() => Replay(ReplicaRecord.Truncate(Key, 1, 4)));
        Assert.Throws<InvalidDataException>(() => ReplicaRecord.Decode(new byte[] { 9 }));
        Assert.Throws<InvalidDataException>(() => ReplicaRecord.Decode(Key.Concat(new byte[] { 9 }).ToArray()));
        Assert.Throws<InvalidDataException>(() => ReplicaRecord.Decode(new byte[] { 200, 0, 1 }));
    }

    [Fact]
    public void Each_record_names_its_ledger_and_the_committed_end_only_grows_across_truncates()
    {
        var other = ReplicaRecord.LedgerKey("other+1");
        var records = new[] { ReplicaRecord.Truncate(Key, 1, 0), Entry(1, 1, 0), Entry(1, 1, 1), ReplicaRecord.Committed(Key, 2), ReplicaRecord.Committed(Key, 1) };
        Assert.All(records, r => Assert.Equal("counter+3", ReplicaRecord.LedgerOf(r)));
        Assert.All(records, r => Assert.True(ReplicaRecord.BelongsTo(r, Key)));
        Assert.False(ReplicaRecord.BelongsTo(ReplicaRecord.Fence(other, 1), Key));

        var state = Replay([.. records, ReplicaRecord.Truncate(Key, 2, 1)]);
        Assert.Equal(2, state.Committed);
        Assert.Equal(1, state.CommittedEnd);
    }

    private static byte[] Entry(long writerEpoch, long entryEpoch, long position) =>
        ReplicaRecord.Entry(Key, writerEpoch, position, new LedgerEntry(entryEpoch, [(byte)position]));

    /// <summary>Applies the records as a log would hold them, one LSN per record.</summary>
    private static ReplicaState Replay(params byte[][] records)
    {
        var state = new ReplicaState();
        for (var i = 0; i < records.Length; i++)
        {
            state.Apply(ReplicaRecord.Decode(records[i]), new Lsn(i));
        }

        return state;
    }
}
