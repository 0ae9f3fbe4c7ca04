namespace WalActors.Persistence;

/// <summary>Where one event sits in the log, and whose it is.</summary>
/// <param name="Lsn">The event record's LSN.</param>
/// <param name="SequenceNr">Its sequence number.</param>
/// <param name="Owner">Its persistence id's index entry (for deletion checks without a lookup).</param>
/// <param name="Length">How many bytes of log its record takes (its frame): a replay reads exactly that.</param>
internal readonly record struct IndexedEvent(long Lsn, long SequenceNr, PersistenceIdEntry Owner, int Length);
