namespace WalActors.Persistence;

/// <summary>
/// One persistence id in the index: its highest sequence number (which deletes never lower), how far it is deleted,
/// and where each of its events is. Guarded by the index's lock.
/// </summary>
internal sealed class PersistenceIdEntry
{
    private readonly SortedList64<IndexedEvent> _events = new(e => e.SequenceNr);

    public PersistenceIdEntry(string id, long firstLsn, int number)
    {
        Id = id;
        FirstLsn = firstLsn;
        Number = number;
    }

    public string Id { get; }

    /// <summary>The id's number in the persisted index: the order the index first met it in.</summary>
    public int Number { get; }

    /// <summary>How far the persisted index has dropped this id's deleted events' keys.</summary>
    public long PersistedDeletedTo { get; set; }

    /// <summary>The LSN of the first record that named this id: the order in which persistence ids are listed.</summary>
    public long FirstLsn { get; }

    public long Highest { get; set; }

    public long DeletedTo { get; set; }

    /// <summary>The LSN of the newest tombstone of this id, or -1: the one compaction keeps.</summary>
    public long LatestTombstoneLsn { get; set; } = -1;

    /// <summary>How many of the id's events are held in memory: those the persisted index does not cover yet (all, without one).</summary>
    public int Count => _events.Count;

    public IndexedEvent this[int index] => _events[index];

    public IndexedEvent Add(long sequenceNr, long lsn, int length)
    {
        var indexed = new IndexedEvent(lsn, sequenceNr, this, length);
        _events.Insert(indexed);
        Highest = Math.Max(Highest, sequenceNr);
        return indexed;
    }

    /// <summary>The position of the first event with a sequence number of at least <paramref name="sequenceNr"/>.</summary>
    public int IndexOf(long sequenceNr) => _events.LowerBound(sequenceNr);

    public bool IsDeleted(long sequenceNr) => sequenceNr <= DeletedTo;

    /// <summary>Forgets the events in memory below <paramref name="lsn"/>: a checkpoint has them on disk.</summary>
    public void ForgetBelow(long lsn)
    {
        var count = 0;
        while (count < _events.Count && _events[count].Lsn < lsn)
        {
            count++;
        }

        _events.RemoveFirst(count);
    }

    public Index.IdState State() => new(Id, FirstLsn, Highest, DeletedTo, LatestTombstoneLsn);
}
