namespace WalActors;

/// <summary>
/// This node cannot serve its ledger copies (the cluster journal's replicas): their log at <see cref="Directory"/> could
/// not be opened or read (damaged, in use by another process, a disk error), or the journal's directory still holds
/// copies in the layout of one log per ledger, which this version does not read. Nothing was written. A writer or
/// replay that needs this node's copy fails with it; the node's copies are tried again on a later request.
/// </summary>
public sealed class LedgerCopiesUnavailableException : WalException
{
    /// <summary>Creates the exception for the copies' log at <paramref name="directory"/>.</summary>
    /// <param name="directory">The node's ledger-copy log directory.</param>
    /// <param name="reason">Why the copies cannot be served, as a clause ("its log could not be opened").</param>
    /// <param name="cause">The log's own error, if any.</param>
    public LedgerCopiesUnavailableException(string directory, string reason, Exception? cause = null)
        : base($"This node's ledger copies at '{directory}' are unavailable: {reason}.{(cause is null ? "" : " " + cause.Message)}", cause)
    {
        Directory = directory;
    }

    /// <summary>The node's ledger-copy log directory.</summary>
    public string Directory { get; }
}
