namespace WalActors;

/// <summary>
/// A replicated ledger's write or recovery was refused because a replica has seen a higher epoch: another owner holds
/// the ledger now. A write failed this way was not acknowledged (it may still be in the ledger the new owner recovers, like
/// any write whose outcome is unknown); this writer acknowledges nothing more.
/// </summary>
public sealed class LedgerFencedException : WalException
{
    /// <summary>Creates the error for <paramref name="ledger"/>, written at <paramref name="epoch"/>, fenced by <paramref name="highestEpoch"/>.</summary>
    public LedgerFencedException(string ledger, long epoch, long highestEpoch)
        : base($"Ledger '{ledger}' was fenced: this writer's epoch {epoch} is below epoch {highestEpoch}, which a replica has seen.")
    {
        Ledger = ledger;
        Epoch = epoch;
        HighestEpoch = highestEpoch;
    }

    /// <summary>The ledger.</summary>
    public string Ledger { get; }

    /// <summary>The epoch this writer wrote at.</summary>
    public long Epoch { get; }

    /// <summary>The higher epoch a replica answered with.</summary>
    public long HighestEpoch { get; }
}
