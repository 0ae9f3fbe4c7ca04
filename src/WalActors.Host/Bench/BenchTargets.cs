using WalActors.Host.Bench.OpenLoop;

namespace WalActors.Host.Bench;

/// <summary>
/// The project's performance targets (issue 12), checked against one run. The ratios count, not absolute figures: a
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
            Add(checks, $"64p 4096B {system} >= 0.8x ideal", Ratio(report, system, SystemNames.Ideal, 64, 4096), 0.8);
            if (report.Find(system, 64, 128) is { } mine && report.Find(SystemNames.Ideal, 64, 128) is { } ideal)
            {
                checks.Add(new TargetCheck($"64p 128B {system} CPU per append <= ideal's + 1.5 µs (ideal {ideal.CpuMicrosecondsPerAppend:N2} µs)",
                    mine.CpuMicrosecondsPerAppend - ideal.CpuMicrosecondsPerAppend, 1.5, "µs more", AtMost: true));
            }

            foreach (var payload in report.Settings.Payloads)
            {
                var one = report.Find(system, 1, payload);
                var raw = report.Find(SystemNames.Fdatasync, 1, payload);
                if (one is not null && raw is not null)
                {
                    checks.Add(new TargetCheck($"1p {payload}B {system} p50 <= 1.1x one raw fdatasync (p50 {raw.P50Microseconds:N0} µs)",
                        one.P50Microseconds / raw.P50Microseconds, 1.1, "x", AtMost: true));
                }
            }

            foreach (var peer in report.Catalog.Peers)
            {
                Add(checks, $"64p 128B {system} >= 1.5x {peer}", Ratio(report, system, peer, 64, 128), 1.5);
                Add(checks, $"64p 4096B {system} >= 1.5x {peer}", Ratio(report, system, peer, 64, 4096), 1.5);
                Add(checks, $"8p 4096B {system} >= 1.2x {peer}", Ratio(report, system, peer, 8, 4096), 1.2);
            }
        }

        foreach (var row in report.Results.Concat(report.OpenLoop.Select(o => o.Measured)).Where(r => report.Catalog.IsWalActors(r.System) && r.Appends > 0))
        {
            // A read that came with major page faults may be the runtime paging in its own code: say so beside the figure.
            var faults = row.Storage.MajorFaults > 0 ? $", {row.Storage.MajorFaults:N0} major page faults" : "";
            checks.Add(new TargetCheck($"{Scenario(report, row)} {row.System} storage reads <= 1% of bytes appended ({row.ReadBytesPerMegabyte:N0} B per MB{faults})",
                100 * row.ReadFraction, 1.0, "%", AtMost: true));
        }

        foreach (var row in report.OpenLoop.Where(o => o.Mode == OpenLoopResult.InFlight && o.Measured.Producers == 10_000 && report.Catalog.IsWalActors(o.Measured.System)))
        {
            checks.Add(new TargetCheck(
                $"open loop 10,000 in flight {row.Measured.Payload}B {row.Measured.System} >= 0.5x the physical bound ({row.Bound.AppendsPerSecond:N0}/s by {row.Bound.LimitedBy}; CPU allows {row.CpuBound:N0}/s)",
                row.OfBound, 0.5, "x", AtMost: false));
        }

        foreach (var recovery in report.Recovery.Where(r => report.Catalog.Systems.Any(s => s.Role == BenchRole.WalActors && s.Recovery?.System == r.System)).Take(1))
        {
            checks.Add(new TargetCheck($"recovery of {recovery.Bytes / (1024.0 * 1024 * 1024):F2} GiB >= 2 GB/s (warm cache)",
                recovery.GigabytesPerSecond, 2.0, "GB/s", AtMost: false));
        }

        return checks;
    }

    // "64p 128B" for a closed-loop row; "open 10,000 in flight 128B" or "open 50,000/s 128B" for an open-loop one.
    private static string Scenario(BenchReport report, ScenarioResult row)
    {
        var open = report.OpenLoop.FirstOrDefault(o => ReferenceEquals(o.Measured, row));
        return open is null ? $"{row.Producers}p {row.Payload}B"
            : open.Mode == OpenLoopResult.InFlight ? $"open {row.Producers:N0} in flight {row.Payload}B"
            : $"open {open.OfferedPerSecond:N0}/s {row.Payload}B";
    }

    private static void Add(List<TargetCheck> checks, string target, double ratio, double required)
    {
        if (!double.IsNaN(ratio))
        {
            checks.Add(new TargetCheck(target, ratio, required, "x", AtMost: false));
        }
    }
}
