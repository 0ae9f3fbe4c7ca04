namespace WalActors;

/// <summary>
/// Too few of a replicated ledger's replicas answered within the timeout: a write was not acknowledged (it may still
/// be durable on fewer copies, or become durable later), or a recovery could not fence enough replicas.
/// </summary>
public sealed class LedgerQuorumException : WalException
{
    /// <summary>Creates the error for <paramref name="ledger"/>: <paramref name="needed"/> copies were needed, <paramref name="had"/> answered within <paramref name="timeout"/>.</summary>
    public LedgerQuorumException(string ledger, int needed, int had, TimeSpan timeout)
        : base($"Ledger '{ledger}': {had} of the {needed} copies needed answered within {timeout.TotalSeconds:0.###} s.")
    {
        Ledger = ledger;
        Needed = needed;
        Had = had;
    }

    /// <summary>The ledger.</summary>
    public string Ledger { get; }

    /// <summary>How many copies had to answer.</summary>
    public int Needed { get; }

    /// <summary>How many did in time.</summary>
    public int Had { get; }
}
