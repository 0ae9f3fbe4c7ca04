using WalActors.Compaction;

namespace WalActors.Persistence.Compaction;

/// <summary>
/// Which records of a journal's log compaction keeps: every event its id has not deleted, the newest tombstone of each
/// id (it carries the id's highest sequence number, which deletes never lower), and any record it cannot read.
/// </summary>
/// <remarks>
/// <para>Used by one compaction pass at a time, on the log's compacting thread; the pool is not thread-safe. The events it
/// drops go to the index in bulk (every few thousand, and when a segment is done): one lock per record would contend
/// with the appends a pass must not slow.</para>
/// <para>They go as runs: dropped events with no surviving event between them, in log order and in each tag's order, so
/// the index removes their keys as ranges. That relies on the pass judging a segment's records in log order and judging
/// every event between two it judged, which <see cref="SegmentCompactor"/> does within one segment (what it keeps unjudged
/// lies before the first judged record or after the last). So no run reaches across a segment's start, nor back to a
/// position judged before (a pass that failed and runs again).</para>
/// </remarks>
internal sealed class JournalLiveness(JournalIndex index)
{
    private const int DroppedPerHandOver = 16_384;
    private readonly StringPool _pool = new();
    private readonly List<string> _tags = [];
    private readonly Dictionary<string, PersistenceIdEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long From, long To)> _tagRuns = new(StringComparer.Ordinal);
    private List<(string? Tag, long FromLsn, long ToLsn)> _runs = [];
    private (long From, long To)? _logRun;
    private int _droppedSinceHandOver;
    private long _lastJudged = -1;

    /// <summary>Hands the dropped events gathered so far to the index (a segment was rewritten).</summary>
    public void SegmentDone(SegmentCompaction compacted) => HandOver();

    public bool IsLive(long lsn, long batchStart, ReadOnlySpan<byte> payload)
    {
        var segmentSize = index.Usage.SegmentSize;
        if (lsn <= _lastJudged || lsn / segmentSize != _lastJudged / segmentSize)
        {
            CloseRuns();
        }

        _lastJudged = lsn;
        try
        {
            switch (JournalRecordCodec.KindOf(payload))
            {
                case JournalRecordKind.Event:
                    JournalRecordCodec.ReadEventKey(payload, _pool, _tags, out var persistenceId, out var sequenceNr);
                    // An id the index does not know yet (acknowledged an instant ago) has nothing deleted.
                    if (Entry(persistenceId) is not { } entry || !entry.IsDeleted(sequenceNr))
                    {
                        Survived(_tags);
                        return true;
                    }

                    Drop(lsn, _tags);
                    return false;
                case JournalRecordKind.Tombstone:
                    return Entry(JournalRecordCodec.DecodeTombstone(payload, _pool).PersistenceId) is not { } owner || owner.LatestTombstoneLsn <= lsn;
            }
        }
        catch (InvalidDataException)
        {
            // A record this build cannot read is never dropped (it may be a delete a newer build wrote), and no run
            // reaches across it: whatever keys it has stay.
            CloseRuns();
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

    private void Drop(long lsn, List<string> tags)
    {
        _logRun = (_logRun?.From ?? lsn, lsn);
        foreach (var tag in tags)
        {
            _tagRuns[tag] = (_tagRuns.TryGetValue(tag, out var run) ? run.From : lsn, lsn);
        }

        if (++_droppedSinceHandOver >= DroppedPerHandOver)
        {
            HandOver();
        }
    }

    // A surviving event ends the log-order run and the runs of its own tags: its keys lie between their ends otherwise.
    private void Survived(List<string> tags)
    {
        if (_logRun is { } run)
        {
            _runs.Add((null, run.From, run.To));
            _logRun = null;
        }

        foreach (var tag in tags)
        {
            if (_tagRuns.Remove(tag, out var tagRun))
            {
                _runs.Add((tag, tagRun.From, tagRun.To));
            }
        }
    }

    private void CloseRuns()
    {
        Survived([.. _tagRuns.Keys]);
    }

    private void HandOver()
    {
        CloseRuns();
        if (_runs.Count > 0)
        {
            index.Dropped(_runs);
            _runs = [];
        }

        _droppedSinceHandOver = 0;
    }
}
