using WalActors.Persistence.Index;
using WalActors.Tests.Support;

namespace WalActors.Tests.Persistence;

/// <summary>The persisted index's RocksDB store on its own: what a checkpoint writes reads back, in key order.</summary>
public sealed class PersistedIndexStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void A_checkpoint_reads_back_by_id_in_log_order_and_by_position()
    {
        using var index = PersistedIndex.Open(_directory.Combine("index"), out var problem);
        Assert.Null(problem);
        var batch = new CheckpointBatch(new IndexCheckpoint(1000 * 96, 999 * 96, 7, 1, 0, []));
        for (var n = 0; n < 1000; n++)
        {
            batch.Events.Add((0, n + 1, n * 96, 96));
        }

        batch.Ids.Add((0, new IdState("p", 0, 1000, 0, -1), 0));
        index.Write(batch);

        var seen = new List<long>();
        index.EventsFrom(null, 0, long.MaxValue, (lsn, id, sequenceNr, length) =>
        {
            seen.Add(sequenceNr);
            return true;
        });
        var stoppedEarly = 0;
        index.EventsFrom(null, 10 * 96, long.MaxValue, (_, _, _, _) => ++stoppedEarly < 5);
        var ofId = new List<(long SequenceNr, long Lsn, int Length)>();
        index.EventsOf(0, 1, long.MaxValue, long.MaxValue, long.MaxValue, ofId);

        Assert.Equal(Enumerable.Range(1, 1000).Select(n => (long)n), seen);
        Assert.Equal(Enumerable.Range(1, 1000).Select(n => (long)n), ofId.Select(e => e.SequenceNr));
        Assert.All(ofId, e => Assert.Equal(96, e.Length));
        Assert.Equal(1000 * 96, index.ReadCheckpoint(out _)!.CoveredEnd);
        Assert.Equal(500, index.SequenceNrBelow(0, 500 * 96));
        Assert.Equal(5, stoppedEarly);
    }

    [Fact]
    public void A_checkpoint_with_a_bad_checksum_is_not_read()
    {
        using (var index = PersistedIndex.Open(_directory.Combine("index"), out _))
        {
            index.Write(new CheckpointBatch(new IndexCheckpoint(96, 0, 7, 0, 0, [])));
        }

        var encoded = new IndexCheckpoint(96, 0, 7, 0, 0, []).Encode();
        encoded[5] ^= 1;
        Assert.Null(IndexCheckpoint.Decode(encoded, out var problem));
        Assert.Contains("checksum", problem);
        Assert.NotNull(IndexCheckpoint.Decode(new IndexCheckpoint(96, 0, 7, 0, 0, []).Encode(), out _));
    }

    public void Dispose() => _directory.Dispose();
}
