namespace WalActors;

/// <summary>
/// A write, replay or read of the cluster journal for a shard whose lease this node does not hold (never acquired,
/// lost, or taken over by another node). Nothing was written. A persistent actor sees it through
/// <c>OnPersistFailure</c> or <c>OnRecoveryFailure</c>; its shard runs on the lease's holder.
/// </summary>
public sealed class ShardNotHeldException : WalException
{
    /// <summary>Creates the exception for <paramref name="lease"/>.</summary>
    /// <param name="lease">The shard's lease name.</param>
    /// <param name="owner">This node's owner name (its address).</param>
    public ShardNotHeldException(string lease, string owner)
        : base($"This node ({owner}) does not hold lease '{lease}': the shard's events are written and read only by its holder.")
    {
        Lease = lease;
        Owner = owner;
    }

    /// <summary>The shard's lease name.</summary>
    public string Lease { get; }

    /// <summary>This node's owner name.</summary>
    public string Owner { get; }
}
