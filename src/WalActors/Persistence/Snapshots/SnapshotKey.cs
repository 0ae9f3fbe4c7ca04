namespace WalActors.Persistence.Snapshots;

/// <summary>A snapshot's identity as Akka.Persistence gives it: persistence id, sequence number, and time (DateTime.ToBinary).</summary>
internal readonly record struct SnapshotKey(string PersistenceId, long SequenceNr, long Timestamp);
