namespace WalActors.Persistence.Compaction;

/// <summary>
/// Which records of a journal's log compaction keeps: every event its id has not deleted, the newest tombstone of each
/// id (it carries the id's highest sequence number, which deletes never lower), and any record it cannot read.
/// </summary>
/// <remarks>Used by one compaction pass at a time, on the log's compacting thread; the pool is not thread-safe.</remarks>
internal sealed class JournalLiveness(JournalIndex index)
{
    private readonly StringPool _pool = new();
    private readonly List<string> _tags = [];

    public bool IsLive(long lsn, long batchStart, ReadOnlySpan<byte> payload)
    {
        try
        {
            switch (JournalRecordCodec.KindOf(payload))
            {
                case JournalRecordKind.Event:
                    JournalRecordCodec.ReadEventKey(payload, _pool, _tags, out var persistenceId, out var sequenceNr);
                    if (index.EventIsLive(persistenceId, sequenceNr))
                    {
                        return true;
                    }

                    index.Dropped(lsn, _tags);
                    return false;
                case JournalRecordKind.Tombstone:
                    return index.TombstoneIsLive(JournalRecordCodec.DecodeTombstone(payload, _pool).PersistenceId, lsn);
            }
        }
        catch (InvalidDataException)
        {
            // A record this build cannot read is never dropped: it may be a delete a newer build wrote.
        }

        return true;
    }
}
