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

    /// <summary>How many copies recovery must fence so that every W-copy set meets one of them: R − W + 1.</summary>
    public int FenceQuorum => Replicas - WriteQuorum + 1;

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
