using WalActors.Host.Bench.OpenLoop;
using WalActors.Host.Bench.Recovery;

namespace WalActors.Host.Bench;

/// <summary>Everything one run measured.</summary>
/// <param name="Machine">Cores, processor, OS, runtime and the file system the data went to.</param>
/// <param name="Settings">What was run.</param>
/// <param name="Catalog">The systems it could choose from, which tells WalActors rows, baselines and peers apart.</param>
/// <param name="Results">One row per system per scenario.</param>
/// <param name="Recovery">The recovery rows: WalActors and any peer, on the same number of records.</param>
/// <param name="SequentialWriteMegabytesPerSecond">The disk's sequential write bandwidth with a final fdatasync, measured in this run.</param>
/// <param name="OpenLoop">The open-loop rows: many producers in flight, and fixed offered rates.</param>
/// <param name="BarriersPerSecond">The barrier rate the open-loop bounds used: the best of the probes and the raw fdatasync loop's single-producer rows (NaN when the open loop did not run).</param>
/// <param name="BarrierProbes">The raw barrier rates probed around the open-loop rows (1 / median write + fdatasync), empty when they did not run.</param>
/// <param name="LoadAtStart">/proc/loadavg when the run started: on a shared machine the figures need the load they ran under.</param>
/// <param name="LoadAtEnd">/proc/loadavg when it ended.</param>
internal sealed record BenchReport(
    string Machine,
    BenchSettings Settings,
    BenchCatalog Catalog,
    IReadOnlyList<ScenarioResult> Results,
    IReadOnlyList<RecoveryMeasurement> Recovery,
    double SequentialWriteMegabytesPerSecond,
    IReadOnlyList<OpenLoopResult> OpenLoop,
    double BarriersPerSecond,
    IReadOnlyList<double> BarrierProbes,
    string LoadAtStart,
    string LoadAtEnd)
{
    /// <summary>The row for <paramref name="system"/> in a scenario, if it ran.</summary>
    public ScenarioResult? Find(string system, int producers, int payload) =>
        Results.FirstOrDefault(r => r.System == system && r.Producers == producers && r.Payload == payload);
}
