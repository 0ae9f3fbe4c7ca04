using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench;

/// <summary>One system in one scenario: closed-loop producers appending one payload size, every append awaited as durable.</summary>
/// <param name="System">The system's name in the catalogue (fdatasync, ideal, walactors-actor, ...).</param>
/// <param name="Producers">Closed-loop producers.</param>
/// <param name="Payload">Payload bytes per append.</param>
/// <param name="Appends">Appends completed in the measured window.</param>
/// <param name="Seconds">The measured window.</param>
/// <param name="P50Microseconds">Median latency of one durable append.</param>
/// <param name="P99Microseconds">99th percentile latency.</param>
/// <param name="P999Microseconds">99.9th percentile latency.</param>
/// <param name="Syncs">Durability barriers (fdatasync calls, or commits) issued in the window.</param>
/// <param name="AllocatedBytes">Bytes allocated by the whole process in the window (producers included).</param>
/// <param name="CpuSeconds">CPU time the whole process used in the window, on all cores.</param>
/// <param name="Storage">What the whole process read from and wrote to storage in the window.</param>
/// <param name="BackgroundReadBytes">The part of those reads the system made off its write path (a warming what-if); 0 for every real system.</param>
internal sealed record ScenarioResult(
    string System,
    int Producers,
    int Payload,
    long Appends,
    double Seconds,
    double P50Microseconds,
    double P99Microseconds,
    double P999Microseconds,
    long Syncs,
    long AllocatedBytes,
    double CpuSeconds,
    StorageTraffic Storage,
    double BackgroundReadBytes = 0)
{
    /// <summary>Durable appends per second.</summary>
    public double AppendsPerSecond => Appends / Seconds;

    /// <summary>Payload megabytes (10^6 B) made durable per second.</summary>
    public double MegabytesPerSecond => AppendsPerSecond * Payload / 1e6;

    /// <summary>Barriers per second.</summary>
    public double SyncsPerSecond => Syncs / Seconds;

    /// <summary>Appends covered by one barrier, on average.</summary>
    public double MeanBatch => Syncs == 0 ? 0 : (double)Appends / Syncs;

    /// <summary>Bytes the process allocated per append, producers and the benchmark's own bookkeeping included.</summary>
    public double AllocatedBytesPerAppend => Appends == 0 ? 0 : (double)AllocatedBytes / Appends;

    /// <summary>CPU microseconds the process spent per append, on all cores together: what an append costs besides waiting.</summary>
    public double CpuMicrosecondsPerAppend => Appends == 0 ? double.NaN : CpuSeconds * 1e6 / Appends;

    /// <summary>Payload bytes made durable in the window.</summary>
    public double AppendedBytes => (double)Appends * Payload;

    /// <summary>Bytes read from storage per megabyte of payload appended (issue 12's target: at most 1% of it, 10,000 B/MB).</summary>
    public double ReadBytesPerMegabyte => Storage.ReadPerMegabyte(AppendedBytes);

    /// <summary>Bytes read from storage by the write path itself (everything but <see cref="BackgroundReadBytes"/>) per megabyte appended.</summary>
    public double WritePathReadBytesPerMegabyte => AppendedBytes <= 0 ? double.NaN : (Storage.BestReadBytes - BackgroundReadBytes) / (AppendedBytes / 1e6);

    /// <summary>Storage reads as a fraction of the bytes appended.</summary>
    public double ReadFraction => Storage.BestReadBytes / AppendedBytes;

    /// <summary>
    /// /proc/self/io write_bytes per megabyte appended. Linux counts buffered writes when it dirties page-cache folios,
    /// a whole (possibly large) folio per small write, so this is not what reached the device; direct I/O is counted as sent.
    /// </summary>
    public double WriteBytesPerMegabyte => Storage.WritePerMegabyte(AppendedBytes);
}
