namespace WalActors.Cluster.Tests.History;

/// <summary>One broken promise found by <see cref="HistoryChecker"/>: its kind, and what, where and which read.</summary>
public sealed record HistoryViolation(ViolationKind Kind, string Description)
{
    public override string ToString() => $"{Kind}: {Description}";
}
