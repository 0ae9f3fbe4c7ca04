using Akka.Actor;

namespace WalActors.Cluster.Replication;

/// <summary>
/// How one owner opens one replicated ledger. <see cref="Epoch"/> is the fencing token the caller got with its
/// ownership (the etcd lease's create revision, say): it must be higher than every epoch an earlier owner used.
/// </summary>
/// <param name="Ledger">The ledger's id, the same on every node.</param>
/// <param name="Epoch">This owner's epoch; at least 0.</param>
/// <param name="Local">This node's replica of the ledger (a <see cref="LedgerReplica"/>): the writer's own copy.</param>
/// <param name="Followers">The other R−1 replicas; empty for a plain local log (R = 1).</param>
/// <param name="WriteQuorum">W: the copies, the writer's included, that must hold an entry durably before it is acknowledged.</param>
/// <param name="Timeout">The longest a write or a recovery step waits for its quorum before a typed error.</param>
internal sealed record ReplicatedLedgerOptions(string Ledger, long Epoch, IActorRef Local, IReadOnlyList<IActorRef> Followers, int WriteQuorum, TimeSpan Timeout)
{
    /// <summary>R: every copy, the writer's included.</summary>
    public int Replicas => Followers.Count + 1;

    /// <summary>
    /// R as configured, when fewer copies than that could be given (a cluster with fewer members): recovery then fences
    /// as many copies as the configured R asks for, all of the given ones at most, since an earlier owner may have had
    /// R copies of which the missing ones are gone. Null: R is the number of copies given.
    /// </summary>
    public int? ConfiguredReplicas { get; init; }

    /// <summary>How many copies recovery must fence so that every W-copy set meets one of them: R − W + 1 (of the configured R, at most every copy given).</summary>
    public int FenceQuorum => Math.Min(Replicas, (ConfiguredReplicas ?? Replicas) - WriteQuorum + 1);

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Ledger);
        ArgumentOutOfRangeException.ThrowIfNegative(Epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteQuorum, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(WriteQuorum, Replicas);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
    }
}
