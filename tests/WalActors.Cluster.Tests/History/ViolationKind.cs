namespace WalActors.Cluster.Tests.History;

/// <summary>What a history violation broke.</summary>
public enum ViolationKind
{
    /// <summary>An event acknowledged before a read began is not in it.</summary>
    Lost,

    /// <summary>A value, or a sequence number, twice.</summary>
    Duplicate,

    /// <summary>Events out of order, or an acknowledged event at another sequence number than acknowledged.</summary>
    Reordered,

    /// <summary>A sequence number skipped.</summary>
    Gap,

    /// <summary>A read no longer shows what an earlier finished read showed.</summary>
    Rewound,
}
