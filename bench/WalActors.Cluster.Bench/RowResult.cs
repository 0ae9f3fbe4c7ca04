using System.Diagnostics;

namespace WalActors.Cluster.Bench;

/// <summary>One journal at one entity count: persists per second over the window and the round trip's percentiles.</summary>
public sealed record RowResult(string Journal, int Entities, long Persists, TimeSpan Window, double P50Ms, double P99Ms, long Failures)
{
    public double PerSecond => Persists / Window.TotalSeconds;

    public static RowResult From(string journal, int entities, ClosedLoopDriver.Measured measured)
    {
        var sorted = measured.Latencies.Order().ToArray();
        return new RowResult(journal, entities, sorted.Length, measured.Window, Percentile(sorted, 0.50), Percentile(sorted, 0.99), measured.Failures);
    }

    private static double Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
