namespace WalActors.Cluster.Replication;

/// <summary>The first byte of a replica log record (<see cref="ReplicaRecord"/>).</summary>
internal enum ReplicaRecordKind : byte
{
    Entry = 1,
    Fence = 2,
    Truncate = 3,
    Committed = 4,
}
