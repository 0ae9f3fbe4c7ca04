namespace WalActors.Cluster.Replication;

/// <summary>What recovery found: the ledger's end and epoch history (the local copy now holds exactly that), and the other copies it fenced, by index in the followers (1-based: 0 is the local copy).</summary>
internal sealed record RecoveredLedger(long End, IReadOnlyList<EpochStart> History, IReadOnlyDictionary<int, Fenced> FencedFollowers);
