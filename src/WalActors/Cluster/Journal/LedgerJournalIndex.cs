using WalActors.Persistence;
using WalActors.Persistence.Snapshots;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Where each persistence id's events are in one ledger (sequence number → entry position and record within it), its
/// highest sequence number, how far it is deleted, and its snapshots (<see cref="LedgerSnapshotIndex"/>): built from the local copy when the ledger opens, then kept by
/// every acknowledged entry. In memory only (the single-node journal's persisted index is not used for ledgers yet).
/// Thread-safe: writes are acknowledged and replays read on pool threads.
/// </summary>
internal sealed class LedgerJournalIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IdEvents> _ids = new(StringComparer.Ordinal);
    private readonly LedgerSnapshotIndex _snapshots = new();

    /// <summary>Indexes the entry at <paramref name="position"/>.</summary>
    /// <exception cref="InvalidDataException">The entry is not a cluster journal entry.</exception>
    public void Apply(long position, ReadOnlyMemory<byte> entry)
    {
        var records = LedgerEntryCodec.Decode(entry);
        lock (_lock)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                if (LedgerSnapshotCodec.IsSnapshotRecord(record.Span))
                {
                    _snapshots.Apply(position, record);
                    continue;
                }

                switch (JournalRecordCodec.KindOf(record.Span))
                {
                    case JournalRecordKind.Event:
                        var stored = JournalRecordCodec.DecodeEvent(record);
                        var id = Of(stored.PersistenceId);
                        id.Events[stored.SequenceNr] = new EventPosition(stored.SequenceNr, position, i);
                        id.Highest = Math.Max(id.Highest, stored.SequenceNr);
                        break;
                    case JournalRecordKind.Tombstone:
                        var tombstone = JournalRecordCodec.DecodeTombstone(record.Span);
                        var deleted = Of(tombstone.PersistenceId);
                        deleted.DeletedTo = Math.Max(deleted.DeletedTo, tombstone.DeletedTo);
                        deleted.Highest = Math.Max(deleted.Highest, tombstone.Highest);
                        break;
                }
            }
        }
    }

    /// <summary>The highest sequence number <paramref name="persistenceId"/> ever wrote (deletes do not lower it), 0 if none.</summary>
    public long HighestSequenceNr(string persistenceId)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(persistenceId, out var id) ? id.Highest : 0;
        }
    }

    /// <summary>The highest sequence number and the deleted-to mark of <paramref name="persistenceId"/>.</summary>
    public (long Highest, long DeletedTo) DeletionState(string persistenceId)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(persistenceId, out var id) ? (id.Highest, id.DeletedTo) : (0, 0);
        }
    }

    /// <summary>Up to <paramref name="max"/> events of <paramref name="persistenceId"/> in <paramref name="from"/>..<paramref name="to"/>, not deleted, in sequence order.</summary>
    public List<EventPosition> EventsOf(string persistenceId, long from, long to, long max)
    {
        lock (_lock)
        {
            if (!_ids.TryGetValue(persistenceId, out var id))
            {
                return [];
            }

            var first = Math.Max(from, id.DeletedTo + 1);
            return [.. id.Events.Values.Where(e => e.SequenceNr >= first && e.SequenceNr <= to).Take((int)Math.Min(max, int.MaxValue))];
        }
    }

    /// <summary>The snapshots of <paramref name="persistenceId"/> in <paramref name="range"/>, youngest first, each as the positions of its entries.</summary>
    public IReadOnlyList<(SnapshotKey Key, IReadOnlyList<long> Positions)> Snapshots(string persistenceId, SnapshotRange range)
    {
        lock (_lock)
        {
            return _snapshots.Youngest(persistenceId, range);
        }
    }

    private IdEvents Of(string persistenceId)
    {
        if (!_ids.TryGetValue(persistenceId, out var id))
        {
            id = new IdEvents();
            _ids[persistenceId] = id;
        }

        return id;
    }

    private sealed class IdEvents
    {
        public SortedDictionary<long, EventPosition> Events { get; } = [];

        public long Highest { get; set; }

        public long DeletedTo { get; set; }
    }
}
