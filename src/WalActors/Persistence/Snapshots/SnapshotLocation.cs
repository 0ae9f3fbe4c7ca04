namespace WalActors.Persistence.Snapshots;

/// <summary>Where a snapshot's atomic batch lies in the log: its first record and how many records it has.</summary>
internal readonly record struct SnapshotLocation(Lsn Lsn, int Records);
