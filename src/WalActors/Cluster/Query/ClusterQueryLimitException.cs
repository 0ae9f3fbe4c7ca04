namespace WalActors;

/// <summary>
/// A merged query of the cluster read journal (EventsByTag, AllEvents, PersistenceIds) found more ledgers than it may
/// read at once (<c>walactors.cluster.query.max-ledgers</c>): it fails rather than leave the ledgers past the limit
/// unread. Raise the limit to read them.
/// </summary>
public sealed class ClusterQueryLimitException : WalException
{
    /// <summary>Creates the error: <paramref name="found"/> ledgers exceed the limit <paramref name="limit"/>.</summary>
    public ClusterQueryLimitException(int found, int limit)
        : base($"The query found {found} ledgers, more than walactors.cluster.query.max-ledgers ({limit}) allows it to read at once.")
    {
        Found = found;
        Limit = limit;
    }

    /// <summary>How many ledgers the query found (at least).</summary>
    public int Found { get; }

    /// <summary>The configured limit.</summary>
    public int Limit { get; }
}
