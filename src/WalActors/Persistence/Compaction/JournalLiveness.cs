using WalActors.Compaction;

namespace WalActors.Persistence.Compaction;

/// <summary>
/// Which records of a journal's log compaction keeps: every event its id has not deleted, the newest tombstone of each
/// id (it carries the id's highest sequence number, which deletes never lower), and any record it cannot read.
/// </summary>
/// <remarks>
/// Used by one compaction pass at a time, on the log's compacting thread; the pool is not thread-safe. The events it
/// drops go to the index in bulk (every few thousand, and when a segment is done): one lock per record would contend
/// with the appends a pass must not slow.
/// </remarks>
internal sealed class JournalLiveness(JournalIndex index)
{
    private const int DroppedPerHandOver = 16_384;
    private readonly StringPool _pool = new();
    private readonly List<string> _tags = [];
    private readonly Dictionary<string, PersistenceIdEntry> _entries = new(StringComparer.Ordinal);
    private List<(long Lsn, string[]? Tags)> _dropped = [];

    /// <summary>Hands the dropped events gathered so far to the index (a segment was rewritten).</summary>
    public void SegmentDone(SegmentCompaction compacted) => HandOver();

    public bool IsLive(long lsn, long batchStart, ReadOnlySpan<byte> payload)
    {
        try
        {
            switch (JournalRecordCodec.KindOf(payload))
            {
                case JournalRecordKind.Event:
                    JournalRecordCodec.ReadEventKey(payload, _pool, _tags, out var persistenceId, out var sequenceNr);
                    // An id the index does not know yet (acknowledged an instant ago) has nothing deleted.
                    if (Entry(persistenceId) is not { } entry || !entry.IsDeleted(sequenceNr))
                    {
                        return true;
                    }

                    _dropped.Add((lsn, _tags.Count == 0 ? null : [.. _tags]));
                    if (_dropped.Count >= DroppedPerHandOver)
                    {
                        HandOver();
                    }

                    return false;
                case JournalRecordKind.Tombstone:
                    return Entry(JournalRecordCodec.DecodeTombstone(payload, _pool).PersistenceId) is not { } owner || owner.LatestTombstoneLsn <= lsn;
            }
        }
        catch (InvalidDataException)
        {
            // A record this build cannot read is never dropped: it may be a delete a newer build wrote.
        }

        return true;
    }

    // The index's entries, looked up under its lock once per id: their deletion state is read without it (it only
    // grows, so a value read late keeps more, never less).
    private PersistenceIdEntry? Entry(string persistenceId)
    {
        if (!_entries.TryGetValue(persistenceId, out var entry) && index.EntryOf(persistenceId) is { } known)
        {
            _entries[persistenceId] = entry = known;
        }

        return entry;
    }

    private void HandOver()
    {
        if (_dropped.Count > 0)
        {
            index.Dropped(_dropped);
            _dropped = [];
        }
    }
}
