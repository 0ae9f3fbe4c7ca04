namespace WalActors.Compaction;

/// <summary>
/// Says whether the record at <paramref name="lsn"/> with <paramref name="payload"/>, a member of the atomic batch that
/// starts at <paramref name="batchStart"/> (its own LSN for a record on its own), must survive compaction. Called on the
/// compacting thread; must not block on the log. A record it cannot judge must be kept (return true).
/// </summary>
internal delegate bool RecordLiveness(long lsn, long batchStart, ReadOnlySpan<byte> payload);
