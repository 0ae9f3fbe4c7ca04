using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>How a copy's records rebuild it: truncates start writers and cut tails, entries must follow on, fences only raise the epoch.</summary>
public sealed class ReplicaStateTests
{
    [Fact]
    public void Replaying_the_records_rebuilds_entries_epochs_and_the_highest_epoch_seen()
    {
        var state = Replay(
            ReplicaRecord.Truncate(1, 0), Entry(1, 1, 0), Entry(1, 1, 1), Entry(1, 1, 2),
            ReplicaRecord.Fence(3),
            ReplicaRecord.Truncate(3, 1), Entry(3, 1, 1), Entry(3, 3, 2));

        Assert.Equal(3, state.View.End);
        Assert.Equal([new EpochStart(1, 0), new EpochStart(3, 2)], state.View.History);
        Assert.Equal(3, state.Promised);
        Assert.Equal(3, state.WriterEpoch);
        Assert.Equal(new Lsn(6), state.View.LsnOf(1));
    }

    [Fact]
    public void An_entry_that_does_not_follow_on_is_damage_not_a_silent_gap()
    {
        Assert.Throws<InvalidDataException>(() => Replay(ReplicaRecord.Truncate(1, 0), Entry(1, 1, 1)));
        Assert.Throws<InvalidDataException>(() => Replay(ReplicaRecord.Truncate(2, 0), Entry(1, 1, 0)));
        Assert.Throws<InvalidDataException>(() => Replay(ReplicaRecord.Truncate(1, 4)));
        Assert.Throws<InvalidDataException>(() => ReplicaRecord.Decode(new byte[] { 9 }));
    }

    private static byte[] Entry(long writerEpoch, long entryEpoch, long position) =>
        ReplicaRecord.Entry(writerEpoch, position, new LedgerEntry(entryEpoch, [(byte)position]));

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
