namespace WalActors.Host.Bench;

/// <summary>
/// The project's performance targets (issue #8), checked against one run. The ratios count, not absolute figures: a
/// target against a peer is checked only when the peer comparison ran it.
/// </summary>
internal static class BenchTargets
{
    /// <summary>Appends/s of <paramref name="system"/> over <paramref name="other"/> in one scenario; NaN if either did not run.</summary>
    public static double Ratio(BenchReport report, string system, string other, int producers, int payload)
    {
        ArgumentNullException.ThrowIfNull(report);
        var mine = report.Find(system, producers, payload);
        var theirs = report.Find(other, producers, payload);
        return mine is null || theirs is null || theirs.AppendsPerSecond == 0 ? double.NaN : mine.AppendsPerSecond / theirs.AppendsPerSecond;
    }

    /// <summary>Every target whose inputs this run measured.</summary>
    public static IReadOnlyList<TargetCheck> Evaluate(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var checks = new List<TargetCheck>();
        foreach (var system in report.Catalog.Systems.Where(s => s.Role == BenchRole.WalActors).Select(s => s.Name))
        {
            Add(checks, $"64p 128B {system} >= 1.0x ideal", Ratio(report, system, SystemNames.Ideal, 64, 128), 1.0);
            foreach (var payload in report.Settings.Payloads)
            {
                var mine = report.Find(system, 1, payload);
                var raw = report.Find(SystemNames.Fdatasync, 1, payload);
                if (mine is not null && raw is not null)
                {
                    checks.Add(new TargetCheck($"1p {payload}B {system} p50 <= 1.3x one raw fdatasync (p50 {raw.P50Microseconds:N0} µs)",
                        mine.P50Microseconds / raw.P50Microseconds, 1.3, "x", AtMost: true));
                }
            }

            foreach (var peer in report.Catalog.Peers)
            {
                AddPeerTargets(checks, report, system, peer);
            }
        }

        foreach (var recovery in report.Recovery.Where(r => report.Catalog.Systems.Any(s => s.Role == BenchRole.WalActors && s.Recovery?.System == r.System)).Take(1))
        {
            checks.Add(new TargetCheck($"recovery of {recovery.Bytes / (1024.0 * 1024 * 1024):F2} GiB >= 1 GB/s (warm cache)",
                recovery.GigabytesPerSecond, 1.0, "GB/s", AtMost: false));
        }

        return checks;
    }

    private static void AddPeerTargets(List<TargetCheck> checks, BenchReport report, string system, string peer)
    {
        Add(checks, $"64p 128B {system} >= 1.2x {peer}", Ratio(report, system, peer, 64, 128), 1.2);
        foreach (var payload in report.Settings.Payloads)
        {
            Add(checks, $"8p {payload}B {system} >= 1.0x {peer}", Ratio(report, system, peer, 8, payload), 1.0);
        }

        var large = report.Find(system, 64, 4096);
        var theirs = report.Find(peer, 64, 4096);
        if (large is not null && theirs is not null)
        {
            var required = Math.Min(0.9 * report.SequentialWriteMegabytesPerSecond, 1.2 * theirs.MegabytesPerSecond);
            checks.Add(new TargetCheck(
                $"64p 4096B {system} MB/s >= min(0.9x disk {report.SequentialWriteMegabytesPerSecond:N0}, 1.2x {peer} {theirs.MegabytesPerSecond:N0})",
                large.MegabytesPerSecond, required, "MB/s", AtMost: false));
        }
    }

    private static void Add(List<TargetCheck> checks, string target, double ratio, double required)
    {
        if (!double.IsNaN(ratio))
        {
            checks.Add(new TargetCheck(target, ratio, required, "x", AtMost: false));
        }
    }
}
