using WalActors.Persistence.Compaction;

namespace WalActors.Persistence.Snapshots;

/// <summary>
/// Which snapshots a log holds, per persistence id by sequence number, with where each lies. Built by reading the log at
/// start and kept current as saves and deletes become durable. Thread-safe.
/// </summary>
/// <remarks>
/// A save at a sequence number that already has one replaces it, as Akka's snapshot store contract asks. The saves
/// deleted or replaced are remembered by LSN until compaction has dropped them: those are the records it may drop.
/// </remarks>
internal sealed class SnapshotIndex
{
    private readonly Dictionary<string, SortedDictionary<long, (long Timestamp, SnapshotLocation Location)>> _byId = new(StringComparer.Ordinal);
    private readonly HashSet<long> _deadSaves = [];
    private readonly Lock _lock = new();

    /// <summary>Records and dead records per segment of the snapshot log; set once the log has said its segment size.</summary>
    public SegmentUsage Usage { get; set; } = new(Storage.SegmentedStoreOptions.DefaultSegmentSize);

    /// <summary>Whether compaction must keep the records of the save whose batch starts at <paramref name="lsn"/>: unless it was deleted or replaced.</summary>
    public bool SaveIsLive(long lsn)
    {
        lock (_lock)
        {
            return !_deadSaves.Contains(lsn);
        }
    }

    /// <summary>Compaction rewrote [<paramref name="from"/>, <paramref name="to"/>): the dead saves there are gone.</summary>
    public void ForgetDeadSaves(long from, long to)
    {
        lock (_lock)
        {
            _deadSaves.RemoveWhere(lsn => lsn >= from && lsn < to);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Values.Sum(s => s.Count);
            }
        }
    }

    public void Saved(SnapshotKey key, SnapshotLocation location)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(key.PersistenceId, out var snapshots))
            {
                _byId[key.PersistenceId] = snapshots = [];
            }

            if (snapshots.TryGetValue(key.SequenceNr, out var replaced))
            {
                Died(replaced.Location);
            }

            snapshots[key.SequenceNr] = (key.Timestamp, location);
        }
    }

    /// <summary>Forgets the snapshot at the key's sequence number (only if its time matches, unless the key's time is DateTime.MinValue).</summary>
    public void DeleteOne(SnapshotKey key)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(key.PersistenceId, out var snapshots) && snapshots.TryGetValue(key.SequenceNr, out var found)
                && (key.Timestamp == DateTime.MinValue.ToBinary() || DateTime.FromBinary(key.Timestamp).Ticks == DateTime.FromBinary(found.Timestamp).Ticks))
            {
                snapshots.Remove(key.SequenceNr);
                Died(found.Location);
            }
        }
    }

    public void DeleteRange(string persistenceId, SnapshotRange range)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(persistenceId, out var snapshots))
            {
                foreach (var (sequenceNr, found) in snapshots.Where(s => range.Contains(s.Key, s.Value.Timestamp)).ToArray())
                {
                    snapshots.Remove(sequenceNr);
                    Died(found.Location);
                }
            }
        }
    }

    /// <summary>The snapshots of <paramref name="persistenceId"/> in <paramref name="range"/>, youngest first.</summary>
    public IReadOnlyList<(SnapshotKey Key, SnapshotLocation Location)> Youngest(string persistenceId, SnapshotRange range)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(persistenceId, out var snapshots))
            {
                return [];
            }

            return snapshots.Reverse()
                .Where(s => range.Contains(s.Key, s.Value.Timestamp))
                .Select(s => (new SnapshotKey(persistenceId, s.Key, s.Value.Timestamp), s.Value.Location))
                .ToList();
        }
    }

    private void Died(SnapshotLocation location)
    {
        _deadSaves.Add(location.Lsn.Value);
        Usage.Died(location.Lsn.Value, location.Records);
    }
}
