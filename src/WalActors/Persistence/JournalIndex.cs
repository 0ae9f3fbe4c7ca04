using WalActors.Persistence.Compaction;
using WalActors.Storage;

namespace WalActors.Persistence;

/// <summary>
/// The journal's in-memory index, rebuilt by scanning the log at start and extended as writes are acknowledged:
/// persistence id → sequence number → LSN, tag → events in log order, every record's LSN, and the indexed end; and,
/// for compaction, which records have died and how many there are in each segment.
/// </summary>
/// <remarks>
/// Writes finish out of order, so the index tracks the <em>indexed end</em>: every record below it is in the index.
/// Queries read the index only below the indexed end they captured and tail the log from there, which is what makes
/// them deliver each event exactly once and in log order. Every member takes the one lock; none does I/O under it.
/// </remarks>
internal sealed class JournalIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PersistenceIdEntry> _ids = new(StringComparer.Ordinal);
    private readonly List<PersistenceIdEntry> _idsInOrder = [];
    private readonly Dictionary<string, SortedList64<IndexedEvent>> _tags = new(StringComparer.Ordinal);
    private readonly SortedList64<long> _records = new(lsn => lsn);
    private readonly SortedList64<IndexedEvent> _events = new(e => e.Lsn);
    private readonly SortedDictionary<long, long> _finishedAhead = [];
    private long _indexedEnd;

    /// <summary>
    /// Records and dead records per segment of the journal's log; set by the start-up scan once the log has said its
    /// segment size (an existing log keeps the one it was created with, whatever the configuration says now).
    /// </summary>
    public SegmentUsage Usage { get; set; } = new(SegmentedStoreOptions.DefaultSegmentSize);

    /// <summary>Every record below this LSN is in the index.</summary>
    public long IndexedEnd
    {
        get
        {
            lock (_gate)
            {
                return _indexedEnd;
            }
        }
    }

    /// <summary>Adds an event found by the start-up scan (records arrive in log order; the indexed end is set once, at the end).</summary>
    public void AddScanned(string persistenceId, long sequenceNr, long lsn, long bytes, List<string> tags)
    {
        lock (_gate)
        {
            AddEvent(persistenceId, sequenceNr, lsn, bytes, tags);
        }
    }

    public void AddScanned(JournalTombstone tombstone, long lsn, long bytes)
    {
        lock (_gate)
        {
            ApplyTombstone(tombstone, lsn, bytes);
        }
    }

    /// <summary>The scan read everything up to <paramref name="end"/>: the first new record will be written there.</summary>
    public void CompleteScan(long end)
    {
        lock (_gate)
        {
            _indexedEnd = end;
        }
    }

    /// <summary>
    /// Adds the events of one acknowledged atomic write, whose LSNs are those of <paramref name="lsns"/> from
    /// <paramref name="offset"/> on, and which occupies the log from its first LSN to <paramref name="end"/>.
    /// </summary>
    public void AddWrite(string persistenceId, IReadOnlyList<long> sequenceNrs, IReadOnlyList<IReadOnlyCollection<string>> tags, IReadOnlyList<Lsn> lsns, int offset, long end)
    {
        lock (_gate)
        {
            for (var i = 0; i < sequenceNrs.Count; i++)
            {
                var lsn = lsns[offset + i].Value;
                var next = i + 1 < sequenceNrs.Count ? lsns[offset + i + 1].Value : end;
                AddEvent(persistenceId, sequenceNrs[i], lsn, next - lsn, tags[i]);
            }

            Finished(lsns[offset].Value, end);
        }
    }

    public void AddTombstone(JournalTombstone tombstone, long lsn, long end)
    {
        lock (_gate)
        {
            ApplyTombstone(tombstone, lsn, end - lsn);
            Finished(lsn, end);
        }
    }

    public long HighestSequenceNr(string persistenceId)
    {
        lock (_gate)
        {
            return _ids.TryGetValue(persistenceId, out var entry) ? entry.Highest : 0;
        }
    }

    /// <summary>The highest sequence number and how far the id is deleted (0 and 0 for an unknown id).</summary>
    public (long Highest, long DeletedTo) DeletionState(string persistenceId)
    {
        lock (_gate)
        {
            return _ids.TryGetValue(persistenceId, out var entry) ? (entry.Highest, entry.DeletedTo) : (0, 0);
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> events of <paramref name="persistenceId"/> with sequence numbers from
    /// <paramref name="from"/> to <paramref name="to"/> (inclusive) that are not deleted and lie below <paramref name="below"/>.
    /// </summary>
    public List<IndexedEvent> EventsOf(string persistenceId, long from, long to, long max, long below = long.MaxValue)
    {
        lock (_gate)
        {
            var found = new List<IndexedEvent>();
            if (!_ids.TryGetValue(persistenceId, out var entry))
            {
                return found;
            }

            var start = Math.Max(from, entry.DeletedTo + 1);
            for (var i = entry.IndexOf(start); i < entry.Count && found.Count < max; i++)
            {
                var indexed = entry[i];
                if (indexed.SequenceNr > to || indexed.Lsn >= below)
                {
                    break;
                }

                found.Add(indexed);
            }

            return found;
        }
    }

    /// <summary>Up to <paramref name="max"/> undeleted events tagged <paramref name="tag"/> (or all events, when null) with LSNs in [from, below).</summary>
    public List<IndexedEvent> EventsFrom(string? tag, long from, long below, int max)
    {
        lock (_gate)
        {
            var found = new List<IndexedEvent>();
            var events = tag is null ? _events : _tags.GetValueOrDefault(tag);
            if (events is null)
            {
                return found;
            }

            for (var i = events.LowerBound(from); i < events.Count && found.Count < max; i++)
            {
                var indexed = events[i];
                if (indexed.Lsn >= below)
                {
                    break;
                }

                if (!indexed.Owner.IsDeleted(indexed.SequenceNr))
                {
                    found.Add(indexed);
                }
            }

            return found;
        }
    }

    /// <summary>Every persistence id first seen below <paramref name="below"/>, in the order the index learned of them.</summary>
    public List<string> PersistenceIds(long below)
    {
        lock (_gate)
        {
            var found = new List<string>(_idsInOrder.Count);
            foreach (var entry in _idsInOrder)
            {
                if (entry.FirstLsn < below)
                {
                    found.Add(entry.Id);
                }
            }

            return found;
        }
    }

    /// <summary>
    /// Plans one read: from <paramref name="events"/>[<paramref name="start"/>], takes following events while at most
    /// <paramref name="maxGap"/> other records lie between neighbours and the read spans at most <paramref name="maxRecords"/>.
    /// </summary>
    /// <returns>The index after the last event taken; <paramref name="records"/> is how many records the read spans.</returns>
    public int PlanRead(IReadOnlyList<IndexedEvent> events, int start, int maxGap, int maxRecords, out int records)
    {
        lock (_gate)
        {
            var first = _records.LowerBound(events[start].Lsn);
            var last = first;
            var end = start + 1;
            while (end < events.Count)
            {
                var rank = _records.LowerBound(events[end].Lsn);
                if (rank - last - 1 > maxGap || rank - first >= maxRecords)
                {
                    break;
                }

                last = rank;
                end++;
            }

            records = last - first + 1;
            return end;
        }
    }

    /// <summary>
    /// Whether compaction must keep the event <paramref name="persistenceId"/>/<paramref name="sequenceNr"/>: every event
    /// not deleted, including one the index does not know yet (a write acknowledged an instant ago).
    /// </summary>
    public bool EventIsLive(string persistenceId, long sequenceNr) => !IsDeleted(persistenceId, sequenceNr);

    /// <summary>Whether compaction must keep the tombstone at <paramref name="lsn"/>: unless a later one of its id supersedes it.</summary>
    public bool TombstoneIsLive(string persistenceId, long lsn)
    {
        lock (_gate)
        {
            return !_ids.TryGetValue(persistenceId, out var entry) || entry.LatestTombstoneLsn <= lsn;
        }
    }

    public bool IsDeleted(string persistenceId, long sequenceNr)
    {
        lock (_gate)
        {
            return _ids.TryGetValue(persistenceId, out var entry) && entry.IsDeleted(sequenceNr);
        }
    }

    private PersistenceIdEntry Entry(string persistenceId, long lsn)
    {
        if (!_ids.TryGetValue(persistenceId, out var entry))
        {
            entry = new PersistenceIdEntry(persistenceId, lsn);
            _ids.Add(persistenceId, entry);
            _idsInOrder.Add(entry);
        }

        return entry;
    }

    private void AddEvent(string persistenceId, long sequenceNr, long lsn, long bytes, IEnumerable<string> tags)
    {
        var entry = Entry(persistenceId, lsn);
        var indexed = entry.Add(sequenceNr, lsn);
        Usage.Added(lsn, bytes);
        if (entry.IsDeleted(sequenceNr))
        {
            Usage.Died(lsn);
        }

        _records.Insert(lsn);
        _events.Insert(indexed);
        foreach (var tag in tags)
        {
            if (!_tags.TryGetValue(tag, out var tagged))
            {
                tagged = new SortedList64<IndexedEvent>(e => e.Lsn);
                _tags.Add(tag, tagged);
            }

            tagged.Insert(indexed);
        }
    }

    private void ApplyTombstone(JournalTombstone tombstone, long lsn, long bytes)
    {
        var entry = Entry(tombstone.PersistenceId, lsn);
        Usage.Added(lsn, bytes);
        for (var i = entry.IndexOf(entry.DeletedTo + 1); i < entry.Count && entry[i].SequenceNr <= tombstone.DeletedTo; i++)
        {
            Usage.Died(entry[i].Lsn);
        }

        // Tombstones only ever raise what they record, so the newest one says all the older ones said.
        if (entry.LatestTombstoneLsn >= 0)
        {
            Usage.Died(Math.Min(entry.LatestTombstoneLsn, lsn));
        }

        entry.LatestTombstoneLsn = Math.Max(entry.LatestTombstoneLsn, lsn);
        entry.DeletedTo = Math.Max(entry.DeletedTo, tombstone.DeletedTo);
        entry.Highest = Math.Max(entry.Highest, tombstone.Highest);
        _records.Insert(lsn);
    }

    // Advances the indexed end over every finished range that now joins it; the rest wait in _finishedAhead.
    private void Finished(long start, long end)
    {
        if (start != _indexedEnd)
        {
            _finishedAhead[start] = end;
            return;
        }

        _indexedEnd = end;
        while (_finishedAhead.Remove(_indexedEnd, out var next))
        {
            _indexedEnd = next;
        }
    }
}
