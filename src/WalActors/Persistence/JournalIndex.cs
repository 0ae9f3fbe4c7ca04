using WalActors.Persistence.Compaction;
using WalActors.Persistence.Index;
using WalActors.Storage;

namespace WalActors.Persistence;

/// <summary>
/// The journal's index: persistence id → sequence number → LSN, tag → events in log order, and the indexed end; and,
/// for compaction, which records have died and how many there are in each segment. Extended as writes are
/// acknowledged; at start, loaded from its last checkpoint and completed by scanning the log from there.
/// </summary>
/// <remarks>
/// <para>
/// Writes finish out of order, so the index tracks the <em>indexed end</em>: every record below it is in the index.
/// Queries read the index only below the indexed end they captured and tail the log from there, which is what makes
/// them deliver each event exactly once and in log order. Every member takes the one lock; none does I/O under it.
/// </para>
/// <para>
/// With a <see cref="PersistedIndex"/>, events below the <em>covered end</em> live only on disk and events from it on in
/// memory; a checkpoint moves the ones in memory below the indexed end to disk in one atomic batch and then forgets them,
/// so memory holds the ids (their states) and the events of the last moments, not the history. A read takes what it
/// needs from memory under the lock, with the covered end of that moment, and then reads the disk below that end
/// outside it: the two never overlap, whatever a checkpoint does meanwhile.
/// </para>
/// </remarks>
internal sealed class JournalIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PersistenceIdEntry> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList64<IndexedEvent>> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tagNumbers = new(StringComparer.Ordinal);
    private readonly List<string> _tagNames = [];
    private readonly SortedList64<IndexedEvent> _events = new(e => e.Lsn);
    private readonly SortedDictionary<long, long> _finishedAhead = [];
    private readonly HashSet<PersistenceIdEntry> _changed = [];
    private List<DroppedRun> _dropped = [];

    // By number, in the order the index met them. Replaced (never changed below _idCount) when it grows, so a reader
    // may keep the array it saw under the lock and look up any id numbered before then.
    private PersistenceIdEntry[] _byNumber = new PersistenceIdEntry[64];
    private int _idCount;
    private long _indexedEnd;
    private PersistedIndex? _persisted;
    private IndexCheckpoint? _checkpoint;
    private long _coveredEnd;
    private int _tagsPersisted;
    private long _bytesSinceCheckpoint;

    /// <summary>
    /// Records and dead records per segment of the journal's log; set by the start-up scan once the log has said its
    /// segment size (an existing log keeps the one it was created with, whatever the configuration says now).
    /// </summary>
    public SegmentUsage Usage { get; set; } = new(SegmentedStoreOptions.DefaultSegmentSize);

    /// <summary>The persisted index this one checkpoints into, or null when it lives in memory only.</summary>
    public PersistedIndex? Persisted
    {
        get
        {
            lock (_gate)
            {
                return _persisted;
            }
        }
    }

    /// <summary>The bytes of log indexed since the last checkpoint: what a start-up after a crash would scan again.</summary>
    public long BytesSinceCheckpoint
    {
        get
        {
            lock (_gate)
            {
                return _bytesSinceCheckpoint;
            }
        }
    }

    /// <summary>How many events memory holds: those no checkpoint has moved to disk yet (every event, without a persisted index).</summary>
    public int EventsInMemory
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Every record below this position is on disk in the persisted index, and only there.</summary>
    public long CoveredEnd
    {
        get
        {
            lock (_gate)
            {
                return _coveredEnd;
            }
        }
    }

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

    /// <summary>Checkpoints into <paramref name="persisted"/>, which is empty: the start-up scan reads the whole log.</summary>
    public void AttachEmpty(PersistedIndex persisted)
    {
        lock (_gate)
        {
            _persisted = persisted;
        }
    }

    /// <summary>
    /// Takes the ids, tags and segment counts of <paramref name="checkpoint"/>, which the store checked against the log:
    /// the start-up scan then reads the log from its covered end only.
    /// </summary>
    /// <exception cref="InvalidDataException">The persisted ids or tags do not match the checkpoint (they are numbered with gaps, or fewer).</exception>
    public void Restore(PersistedIndex persisted, IndexCheckpoint checkpoint)
    {
        // Everything is checked before anything is taken, so a bad index leaves this one empty for the rebuild.
        var ids = persisted.LoadIds();
        var tags = persisted.LoadTags();
        if (ids.Count < checkpoint.Ids || tags.Count < checkpoint.Tags || ids.Where((id, i) => id.Number != i).Any() || tags.Where((tag, i) => tag.Number != i).Any())
        {
            throw new InvalidDataException($"the index numbers {ids.Count} ids and {tags.Count} tags, its checkpoint {checkpoint.Ids} and {checkpoint.Tags}");
        }

        if (ids.Select(i => i.State.Id).Distinct(StringComparer.Ordinal).Count() != ids.Count || checkpoint.Usage.Length % 32 != 0)
        {
            throw new InvalidDataException("the index names a persistence id twice, or its segment counts are cut");
        }

        lock (_gate)
        {
            foreach (var (_, state) in ids)
            {
                var entry = Entry(state.Id, state.FirstLsn);
                entry.Highest = state.Highest;
                entry.DeletedTo = state.DeletedTo;
                entry.PersistedDeletedTo = state.DeletedTo;
                entry.LatestTombstoneLsn = state.LatestTombstoneLsn;
            }

            foreach (var (_, name) in tags)
            {
                NumberOf(name);
            }

            _changed.Clear();
            Usage.Restore(checkpoint.Usage);
            _persisted = persisted;
            _checkpoint = checkpoint;
            _coveredEnd = checkpoint.CoveredEnd;
            _tagsPersisted = tags.Count;
        }
    }

    /// <summary>
    /// What a checkpoint now would write: the events in memory below the indexed end (at most
    /// <paramref name="maxEvents"/> of them, the oldest: the covered end then moves to the next one's LSN, so the lock is
    /// held and the batch grows only so long), and every id changed since the last one. Null when there is nothing new, or (with <paramref name="onlyWhenNothingAhead"/>) while writes beyond the
    /// indexed end are already indexed: an id's state then says more than the covered end does, which only an
    /// acknowledged, durable write makes safe. The caller fills in the check record's CRC, writes it and calls
    /// <see cref="CheckpointWritten"/> (or <see cref="CheckpointFailed"/>).
    /// </summary>
    public CheckpointBatch? BeginCheckpoint(bool onlyWhenNothingAhead, int maxEvents = int.MaxValue)
    {
        lock (_gate)
        {
            var end = _indexedEnd;

            // A slice ends at an event's LSN: a record start below the indexed end. With sync-mode none the whole
            // indexed range goes at once, since an id's state may not say more than the covered end.
            if (!onlyWhenNothingAhead && _events.Count > maxEvents && _events[maxEvents].Lsn < end && _events[maxEvents].Lsn > _coveredEnd)
            {
                end = _events[maxEvents].Lsn;
            }

            if (_persisted is null || (end <= _coveredEnd && _changed.Count == 0 && _dropped.Count == 0) || (onlyWhenNothingAhead && _finishedAhead.Count > 0))
            {
                return null;
            }

            var checkLsn = _checkpoint?.CheckLsn ?? -1;
            var checkCrc = _checkpoint?.CheckCrc ?? 0;
            var batch = new CheckpointBatch(null!);
            for (var i = 0; i < _events.Count && _events[i].Lsn < end; i++)
            {
                var indexed = _events[i];
                if (indexed.Lsn > checkLsn)
                {
                    (checkLsn, checkCrc) = (indexed.Lsn, 0);
                    batch.CheckCrcPending = true;
                }

                // Deleted already: never replayed nor queried again, so never written.
                if (!indexed.Owner.IsDeleted(indexed.SequenceNr))
                {
                    batch.Events.Add((indexed.Owner.Number, indexed.SequenceNr, indexed.Lsn, indexed.Length));
                }
            }

            foreach (var (tag, tagged) in _tags)
            {
                var number = _tagNumbers[tag];
                for (var i = 0; i < tagged.Count && tagged[i].Lsn < end; i++)
                {
                    if (!tagged[i].Owner.IsDeleted(tagged[i].SequenceNr))
                    {
                        batch.Tagged.Add((number, tagged[i].Lsn, tagged[i].Owner.Number, tagged[i].SequenceNr, tagged[i].Length));
                    }
                }
            }

            // Dropped keys go a slice at a time too: a pass over a long journal drops millions.
            var dropping = Math.Min(_dropped.Count, maxEvents);
            batch.Dropped.AddRange(_dropped.GetRange(0, dropping));
            _dropped.RemoveRange(0, dropping);

            foreach (var entry in _changed)
            {
                batch.Ids.Add((entry.Number, entry.State(), entry.DeletedTo > entry.PersistedDeletedTo ? entry.DeletedTo : 0));
            }

            for (var i = _tagsPersisted; i < _tagNames.Count; i++)
            {
                batch.NewTags.Add((i, _tagNames[i]));
            }

            _changed.Clear();
            batch.BytesCovered = Math.Max(0, end - _coveredEnd);
            batch.Checkpoint = new IndexCheckpoint(Math.Max(end, _coveredEnd), checkLsn, checkCrc, _idCount, _tagNames.Count, Usage.Serialize());
            return batch;
        }
    }

    /// <summary>The batch is on disk: its events leave memory, and the disk covers everything below its end.</summary>
    public void CheckpointWritten(CheckpointBatch batch)
    {
        lock (_gate)
        {
            var end = batch.Checkpoint.CoveredEnd;
            _coveredEnd = Math.Max(_coveredEnd, end);
            _checkpoint = batch.Checkpoint;
            _tagsPersisted = Math.Max(_tagsPersisted, batch.Checkpoint.Tags);
            _bytesSinceCheckpoint = Math.Max(0, _bytesSinceCheckpoint - batch.BytesCovered);
            _events.RemoveFirst(_events.LowerBound(end));
            foreach (var tagged in _tags.Values)
            {
                tagged.RemoveFirst(tagged.LowerBound(end));
            }

            foreach (var (number, state, _) in batch.Ids)
            {
                var entry = _byNumber[number];
                entry.ForgetBelow(end);
                entry.PersistedDeletedTo = Math.Max(entry.PersistedDeletedTo, state.DeletedTo);
            }
        }
    }

    /// <summary>The batch could not be written: its ids count as changed again, so the next checkpoint writes them.</summary>
    public void CheckpointFailed(CheckpointBatch batch)
    {
        lock (_gate)
        {
            foreach (var (number, _, _) in batch.Ids)
            {
                _changed.Add(_byNumber[number]);
            }

            _dropped.AddRange(batch.Dropped);
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
        var onDisk = DiskEventsDeletedBy(tombstone);
        lock (_gate)
        {
            ApplyTombstone(tombstone, lsn, bytes, onDisk);
        }
    }

    /// <summary>The scan read everything up to <paramref name="end"/> (once more after each batch): the first new record will be written at the last.</summary>
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
        var onDisk = DiskEventsDeletedBy(tombstone);
        lock (_gate)
        {
            ApplyTombstone(tombstone, lsn, end - lsn, onDisk);
            Finished(lsn, end);
        }
    }

    /// <summary>
    /// A frame that is not an event (a consumer's commit) was acknowledged at [<paramref name="lsn"/>, <paramref name="end"/>):
    /// it holds nothing to index, but the indexed end must pass it.
    /// </summary>
    public void AddNonEvent(long lsn, long end)
    {
        lock (_gate)
        {
            Finished(lsn, end);
        }
    }

    /// <summary>
    /// How many undeleted events lie in [<paramref name="from"/>, <paramref name="below"/>): of <paramref name="persistenceId"/>
    /// when given, else tagged <paramref name="tag"/>, else all. What a projection from <paramref name="from"/> has yet to handle.
    /// </summary>
    public long CountEvents(string? tag, string? persistenceId, long from, long below)
    {
        if (persistenceId is null)
        {
            return CountEvents(tag, from, below, _ => 0);
        }

        PersistenceIdEntry? entry;
        long count = 0, covered;
        PersistedIndex? persisted;
        lock (_gate)
        {
            if (!_ids.TryGetValue(persistenceId, out entry))
            {
                return 0;
            }

            (covered, persisted) = (_coveredEnd, _persisted);
            for (var i = entry.Count - 1; i >= 0 && entry[i].Lsn >= Math.Max(from, covered); i--)
            {
                count += entry[i].Lsn < below && !entry.IsDeleted(entry[i].SequenceNr) ? 1 : 0;
            }
        }

        if (persisted is not null && from < Math.Min(below, covered))
        {
            var onDisk = new List<(long SequenceNr, long Lsn, int Length)>();
            persisted.EventsOf(entry.Number, entry.DeletedTo + 1, long.MaxValue, Math.Min(below, covered), long.MaxValue, onDisk);
            count += onDisk.Count(e => e.Lsn >= from);
        }

        return count;
    }

    /// <summary>
    /// How many undeleted events tagged <paramref name="tag"/> (all, when null) in [<paramref name="from"/>, <paramref name="below"/>)
    /// lie at or after the position <paramref name="startOf"/> gives for their persistence id (long.MaxValue: none counts).
    /// </summary>
    public long CountEvents(string? tag, long from, long below, Func<string, long> startOf)
    {
        long found = 0;
        ReadEvents(tag, from, below, indexed =>
        {
            found += indexed.Lsn >= startOf(indexed.Owner.Id) ? 1 : 0;
            return true;
        });
        return found;
    }

    /// <summary>The highest sequence number of <paramref name="persistenceId"/> among its events below <paramref name="lsn"/> (0 when none).</summary>
    public long SequenceNrBelow(string persistenceId, long lsn)
    {
        PersistenceIdEntry? entry;
        PersistedIndex? persisted;
        long covered;
        lock (_gate)
        {
            if (!_ids.TryGetValue(persistenceId, out entry))
            {
                return 0;
            }

            // An id's events are in sequence-number order, which is also LSN order; memory holds the newest of them.
            int low = 0, high = entry.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (entry[middle].Lsn < lsn)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            if (low > 0 && entry[low - 1].Lsn >= _coveredEnd)
            {
                return entry[low - 1].SequenceNr;
            }

            (persisted, covered) = (_persisted, _coveredEnd);
        }

        return persisted is null || covered == 0 ? 0 : persisted.SequenceNrBelow(entry.Number, Math.Min(lsn, covered));
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
    /// <exception cref="ObjectDisposedException">The persisted index was closed (the journal stopped).</exception>
    public List<IndexedEvent> EventsOf(string persistenceId, long from, long to, long max, long below = long.MaxValue)
    {
        var inMemory = new List<IndexedEvent>();
        PersistenceIdEntry? entry;
        PersistedIndex? persisted;
        long covered, start;
        lock (_gate)
        {
            if (!_ids.TryGetValue(persistenceId, out entry))
            {
                return inMemory;
            }

            (persisted, covered) = (_persisted, _coveredEnd);
            start = Math.Max(from, entry.DeletedTo + 1);
            for (var i = entry.IndexOf(start); i < entry.Count && inMemory.Count < max; i++)
            {
                var indexed = entry[i];
                if (indexed.SequenceNr > to || indexed.Lsn >= below)
                {
                    break;
                }

                if (indexed.Lsn >= covered)
                {
                    inMemory.Add(indexed);
                }
            }
        }

        if (persisted is null || Math.Min(below, covered) <= 0 || start > to)
        {
            return inMemory;
        }

        var onDisk = new List<(long SequenceNr, long Lsn, int Length)>();
        persisted.EventsOf(entry.Number, start, to, Math.Min(below, covered), max, onDisk);
        if (onDisk.Count == 0)
        {
            return inMemory;
        }

        var found = new List<IndexedEvent>(onDisk.Count + inMemory.Count);
        found.AddRange(onDisk.Select(e => new IndexedEvent(e.Lsn, e.SequenceNr, entry, e.Length)));
        found.AddRange(inMemory.Take((int)Math.Min(int.MaxValue, max - found.Count)));
        return found;
    }

    /// <summary>Up to <paramref name="max"/> undeleted events tagged <paramref name="tag"/> (or all events, when null) with LSNs in [from, below).</summary>
    /// <exception cref="ObjectDisposedException">The persisted index was closed (the journal stopped).</exception>
    public List<IndexedEvent> EventsFrom(string? tag, long from, long below, int max)
    {
        var found = new List<IndexedEvent>();
        ReadEvents(tag, from, below, indexed =>
        {
            found.Add(indexed);
            return found.Count < max;
        });
        return found;
    }

    // The undeleted events tagged `tag` (all, when null) in [from, below), in LSN order, until `visit` returns false:
    // first those on disk below the covered end, then those in memory, taken under the lock before the disk is read.
    private void ReadEvents(string? tag, long from, long below, Func<IndexedEvent, bool> visit)
    {
        var inMemory = new List<IndexedEvent>();
        PersistedIndex? persisted;
        PersistenceIdEntry[] byNumber;
        long covered;
        int? tagNumber = null;
        lock (_gate)
        {
            (persisted, covered, byNumber) = (_persisted, _coveredEnd, _byNumber);
            if (tag is not null)
            {
                if (!_tagNumbers.TryGetValue(tag, out var number))
                {
                    return;
                }

                tagNumber = number;
            }

            var events = tag is null ? _events : _tags.GetValueOrDefault(tag);
            for (var i = events?.LowerBound(Math.Max(from, covered)) ?? 0; events is not null && i < events.Count && events[i].Lsn < below; i++)
            {
                if (!events[i].Owner.IsDeleted(events[i].SequenceNr))
                {
                    inMemory.Add(events[i]);
                }
            }
        }

        var going = true;
        if (persisted is not null && from < Math.Min(below, covered))
        {
            persisted.EventsFrom(tagNumber, from, Math.Min(below, covered), (lsn, id, sequenceNr, length) =>
            {
                var owner = byNumber[id];
                return owner.IsDeleted(sequenceNr) || (going = visit(new IndexedEvent(lsn, sequenceNr, owner, length)));
            });
        }

        for (var i = 0; going && i < inMemory.Count; i++)
        {
            going = visit(inMemory[i]);
        }
    }

    /// <summary>Every persistence id first seen below <paramref name="below"/>, in the order the index learned of them.</summary>
    public List<string> PersistenceIds(long below)
    {
        lock (_gate)
        {
            var found = new List<string>(_idCount);
            for (var i = 0; i < _idCount; i++)
            {
                if (_byNumber[i].FirstLsn < below)
                {
                    found.Add(_byNumber[i].Id);
                }
            }

            return found;
        }
    }

    /// <summary>
    /// Compaction dropped these runs of deleted events (first and last LSN, and the tag whose order they run in, null for
    /// log order): the next checkpoints remove their keys. A run of a tag the index does not know has no keys to remove.
    /// </summary>
    public void Dropped(List<(string? Tag, long FromLsn, long ToLsn)> runs)
    {
        lock (_gate)
        {
            if (_persisted is null)
            {
                return;
            }

            foreach (var (tag, from, to) in runs)
            {
                if (tag is null)
                {
                    _dropped.Add(new DroppedRun(DroppedRun.LogOrder, from, to));
                }
                else if (_tagNumbers.TryGetValue(tag, out var number))
                {
                    _dropped.Add(new DroppedRun(number, from, to));
                }
            }
        }
    }

    /// <summary>The entry of <paramref name="persistenceId"/>, or null while the index does not know it.</summary>
    /// <remarks>
    /// Its deletion state only grows, so a reader holding it without the lock sees a value at most behind: enough for
    /// compaction, which only keeps more for it.
    /// </remarks>
    public PersistenceIdEntry? EntryOf(string persistenceId)
    {
        lock (_gate)
        {
            return _ids.GetValueOrDefault(persistenceId);
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
            entry = new PersistenceIdEntry(persistenceId, lsn, _idCount);
            _ids.Add(persistenceId, entry);
            if (_idCount == _byNumber.Length)
            {
                var grown = new PersistenceIdEntry[_byNumber.Length * 2];
                Array.Copy(_byNumber, grown, _idCount);
                _byNumber = grown;
            }

            _byNumber[_idCount++] = entry;
        }

        return entry;
    }

    private void AddEvent(string persistenceId, long sequenceNr, long lsn, long bytes, IEnumerable<string> tags)
    {
        var entry = Entry(persistenceId, lsn);
        var indexed = entry.Add(sequenceNr, lsn, (int)bytes);
        _changed.Add(entry);
        _bytesSinceCheckpoint += bytes;
        Usage.Added(lsn, bytes);
        if (entry.IsDeleted(sequenceNr))
        {
            Usage.Died(lsn);
        }

        _events.Insert(indexed);
        foreach (var tag in tags)
        {
            if (!_tags.TryGetValue(tag, out var tagged))
            {
                tagged = new SortedList64<IndexedEvent>(e => e.Lsn);
                _tags.Add(tag, tagged);
                NumberOf(tag);
            }

            tagged.Insert(indexed);
        }
    }

    // The events a tombstone deletes that only the disk holds: read before the lock is taken, since compaction's
    // accounting must count them dead too.
    private List<(long SequenceNr, long Lsn, int Length)> DiskEventsDeletedBy(JournalTombstone tombstone)
    {
        PersistenceIdEntry? entry;
        PersistedIndex? persisted;
        long covered;
        lock (_gate)
        {
            if (!_ids.TryGetValue(tombstone.PersistenceId, out entry))
            {
                return [];
            }

            (persisted, covered) = (_persisted, _coveredEnd);
        }

        var found = new List<(long SequenceNr, long Lsn, int Length)>();
        if (persisted is not null && covered > 0 && entry.DeletedTo < tombstone.DeletedTo)
        {
            persisted.EventsOf(entry.Number, entry.DeletedTo + 1, tombstone.DeletedTo, covered, long.MaxValue, found);
        }

        return found;
    }

    private void ApplyTombstone(JournalTombstone tombstone, long lsn, long bytes, List<(long SequenceNr, long Lsn, int Length)> onDisk)
    {
        var entry = Entry(tombstone.PersistenceId, lsn);
        _changed.Add(entry);
        _bytesSinceCheckpoint += bytes;
        Usage.Added(lsn, bytes);
        foreach (var (sequenceNr, diskLsn, _) in onDisk)
        {
            if (sequenceNr > entry.DeletedTo && sequenceNr <= tombstone.DeletedTo)
            {
                Usage.Died(diskLsn);
            }
        }
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
    }

    private int NumberOf(string tag)
    {
        if (!_tagNumbers.TryGetValue(tag, out var number))
        {
            number = _tagNames.Count;
            _tagNumbers.Add(tag, number);
            _tagNames.Add(tag);
        }

        return number;
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
