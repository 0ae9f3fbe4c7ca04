using System.Globalization;

namespace WalActors.Cluster.Tests.History;

/// <summary>
/// What <see cref="HistoryChecker"/> found: the counts (failovers, acknowledged events, those a later read checked,
/// reads) and every violation, each naming the persistence id, the event and the read.
/// </summary>
public sealed record HistoryVerdict(int Failovers, int AcknowledgedEvents, int AcknowledgedChecked, int ReadsChecked, IReadOnlyList<HistoryViolation> Violations)
{
    /// <summary>At most this many violations are described in <see cref="ToString"/>; all are counted.</summary>
    private const int Described = 20;

    public bool Passed => Violations.Count == 0;

    /// <summary>How many violations of each kind.</summary>
    public string ViolationCounts => string.Join(", ", Violations.GroupBy(v => v.Kind).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}")));

    public override string ToString()
    {
        var counts = string.Create(
            CultureInfo.InvariantCulture,
            $"{Failovers} failovers, {AcknowledgedEvents} acknowledged events ({AcknowledgedChecked} checked by a later read), {ReadsChecked} reads checked, {Violations.Count} violations");
        return Passed ? counts : $"{counts} ({ViolationCounts}):\n{string.Join('\n', Violations.Take(Described))}";
    }
}
