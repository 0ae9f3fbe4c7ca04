namespace WalActors.Compaction;

/// <summary>
/// Says whether the record at <paramref name="lsn"/> with <paramref name="payload"/> must survive compaction. Called on
/// the compacting thread; must not block on the log. A record it cannot judge must be kept (return true).
/// </summary>
internal delegate bool RecordLiveness(long lsn, ReadOnlySpan<byte> payload);
