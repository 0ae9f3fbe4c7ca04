namespace WalActors;

/// <summary>
/// A journal's log holds a record the journal cannot read: not written by a WalActors journal, or by a newer version.
/// The journal refuses to serve rather than skip it, since a skipped record could be a delete.
/// </summary>
public sealed class JournalFormatException : WalException
{
    /// <summary>Creates the error for the record at <paramref name="lsn"/> of the journal <paramref name="pluginId"/>.</summary>
    public JournalFormatException(string pluginId, long lsn, string reason)
        : base($"The journal '{pluginId}' cannot read its record at LSN {lsn}: {reason}.")
    {
        PluginId = pluginId;
        Lsn = lsn;
    }

    /// <summary>The journal's plugin id.</summary>
    public string PluginId { get; }

    /// <summary>Where the unreadable record is.</summary>
    public long Lsn { get; }
}
