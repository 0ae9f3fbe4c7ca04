using WalActors.Persistence.Snapshots;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Which snapshots a shard's ledger holds, per persistence id, and which entries each is made of: the single-node
/// store's <see cref="SnapshotIndex"/> (same replace and delete rules), whose locations here hold the ledger position
/// of a save's first entry and its entry count. A save of several entries counts only once all of them are indexed:
/// an owner that lost its lease mid-save left a prefix of them, which no one was told is saved. Not thread-safe by
/// itself: <see cref="LedgerJournalIndex"/> calls it under its lock.
/// </summary>
internal sealed class LedgerSnapshotIndex
{
    private readonly SnapshotIndex _saved = new();
    private readonly Dictionary<long, PendingSave> _pending = [];
    private readonly Dictionary<long, List<long>> _entriesOfLargeSaves = [];

    /// <summary>Indexes the snapshot record of the entry at <paramref name="position"/>.</summary>
    /// <exception cref="InvalidDataException">The record is not a snapshot record this build reads.</exception>
    public void Apply(long position, ReadOnlyMemory<byte> record)
    {
        var (inner, savePosition) = LedgerSnapshotCodec.Decode(record);
        switch (record.Span[0])
        {
            case LedgerSnapshotCodec.Save:
                var (key, entries) = SnapshotRecordCodec.ReadSaveHeader(inner.Span);
                if (entries == 1)
                {
                    _saved.Saved(key, new SnapshotLocation(new Lsn(position), 1));
                }
                else
                {
                    _pending[position] = new PendingSave(key, entries, [position]);
                }

                break;
            case LedgerSnapshotCodec.Chunk:
                // A chunk whose save is not pending belongs to a save cut short before a later owner's epoch: ignored.
                if (_pending.TryGetValue(savePosition, out var pending))
                {
                    pending.Positions.Add(position);
                    if (pending.Positions.Count == pending.Entries)
                    {
                        _pending.Remove(savePosition);
                        _entriesOfLargeSaves[savePosition] = pending.Positions;
                        _saved.Saved(pending.Key, new SnapshotLocation(new Lsn(savePosition), pending.Entries));
                    }
                }

                break;
            default:
                SnapshotRecordCodec.Apply(inner.Span, new Lsn(position), _saved);
                break;
        }
    }

    /// <summary>The snapshots of <paramref name="persistenceId"/> in <paramref name="range"/>, youngest first, each as the positions of its entries in order.</summary>
    public IReadOnlyList<(SnapshotKey Key, IReadOnlyList<long> Positions)> Youngest(string persistenceId, SnapshotRange range) =>
        [.. _saved.Youngest(persistenceId, range).Select(s => (s.Key, s.Location.Records == 1
            ? (IReadOnlyList<long>)[s.Location.Lsn.Value]
            : _entriesOfLargeSaves[s.Location.Lsn.Value]))];

    private sealed record PendingSave(SnapshotKey Key, int Entries, List<long> Positions);
}
