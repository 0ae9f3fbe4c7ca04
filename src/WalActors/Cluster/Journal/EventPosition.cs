namespace WalActors.Cluster.Journal;

/// <summary>One event's place in a ledger: the entry's position and the record's index within the entry.</summary>
internal readonly record struct EventPosition(long SequenceNr, long Position, int Record);
