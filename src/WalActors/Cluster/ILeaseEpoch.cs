namespace WalActors.Cluster;

/// <summary>
/// A lease that numbers its holdings: every time an owner acquires it anew, the holding gets an epoch higher than
/// that of every earlier holding, by any owner. Writes made under the lease carry the epoch as their fencing token,
/// so a replica that has seen epoch E refuses writes of any epoch below E, even from a holder that does not yet
/// know it lost the lease.
/// </summary>
public interface ILeaseEpoch
{
    /// <summary>
    /// The epoch of the current holding while this owner holds the lease (when <c>CheckLease()</c> would answer
    /// true), else null. It stays the same for the whole of one holding, renewals included.
    /// </summary>
    long? Epoch { get; }
}
