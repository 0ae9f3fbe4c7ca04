using System.Diagnostics.Metrics;

namespace WalActors.Actors.Internal;

/// <summary>
/// The log's <see cref="System.Diagnostics.Metrics"/> instruments, on the meter <see cref="MeterName"/> that OpenTelemetry
/// (<c>AddMeter("WalActors")</c>) or <c>dotnet-counters monitor --counters WalActors</c> picks up. Every instrument carries
/// the tag <c>walactors.log</c> (the log's directory or description).
/// </summary>
/// <remarks>
/// Counters and gauges are observed from the log's counters when a listener asks, so they cost the pipeline nothing; only
/// barrier durations and the appends each barrier answered are recorded as they happen, once per barrier.
/// <code>
/// walactors.log.appends            counter    appends acknowledged
/// walactors.log.bytes              counter    payload bytes acknowledged (By)
/// walactors.log.writes             counter    positioned writes
/// walactors.log.barriers           counter    durability barriers (fdatasync)
/// walactors.log.failed             counter    appends answered with an error (faults, overload, stop)
/// walactors.log.durable_end        gauge      LSN below which everything is durable
/// walactors.log.unsynced_bytes     gauge      bytes written and not yet covered by a barrier (By)
/// walactors.log.pending_appends    gauge      appends accepted and not yet answered
/// walactors.log.barrier.duration   histogram  time of one barrier (s)
/// walactors.log.barrier.appends    histogram  appends one barrier answered
/// walactors.log.compaction.bytes   counter    bytes compaction reclaimed (By)
/// walactors.log.compaction.records counter    dead records compaction dropped
/// </code>
/// </remarks>
internal sealed class WalInstruments : IDisposable
{
    public const string MeterName = "WalActors";

    private readonly Meter _meter;
    private readonly Histogram<double> _barrierDuration;
    private readonly Histogram<long> _barrierAppends;
    private readonly KeyValuePair<string, object?> _tag;

    public WalInstruments(LogHandle handle, string log)
    {
        _meter = new Meter(MeterName, typeof(WalInstruments).Assembly.GetName().Version?.ToString());
        _tag = new KeyValuePair<string, object?>("walactors.log", log);
        var metrics = handle.Metrics;
        _meter.CreateObservableCounter("walactors.log.appends", () => Measure(metrics.Snapshot().Appends), description: "Appends acknowledged.");
        _meter.CreateObservableCounter("walactors.log.bytes", () => Measure(metrics.Snapshot().Bytes), "By", "Payload bytes acknowledged.");
        _meter.CreateObservableCounter("walactors.log.writes", () => Measure(metrics.Snapshot().Writes), description: "Positioned writes.");
        _meter.CreateObservableCounter("walactors.log.barriers", () => Measure(metrics.Snapshot().Barriers), description: "Durability barriers.");
        _meter.CreateObservableCounter("walactors.log.failed", () => Measure(metrics.Snapshot().Failed), description: "Appends answered with an error.");
        _meter.CreateObservableGauge("walactors.log.durable_end", () => Measure(metrics.DurableEnd), description: "LSN below which everything is durable.");
        _meter.CreateObservableGauge(
            "walactors.log.unsynced_bytes", () => Measure(Math.Max(0, metrics.WrittenEnd - metrics.DurableEnd)), "By", "Bytes written and not yet covered by a barrier.");
        _meter.CreateObservableGauge("walactors.log.pending_appends", () => Measure(handle.Capacity.Appends), description: "Appends accepted and not yet answered.");
        _meter.CreateObservableCounter("walactors.log.compaction.bytes", () => Measure(metrics.CompactedBytes), "By", "Bytes compaction reclaimed.");
        _meter.CreateObservableCounter("walactors.log.compaction.records", () => Measure(metrics.CompactedRecords), description: "Dead records compaction dropped.");
        _barrierDuration = _meter.CreateHistogram<double>("walactors.log.barrier.duration", "s", "Time of one durability barrier.");
        _barrierAppends = _meter.CreateHistogram<long>("walactors.log.barrier.appends", description: "Appends one barrier answered.");
    }

    /// <summary>Records one barrier, from its request to its answer, and how many appends it answered.</summary>
    public void BarrierDone(TimeSpan elapsed, long appends)
    {
        _barrierDuration.Record(elapsed.TotalSeconds, _tag);
        _barrierAppends.Record(appends, _tag);
    }

    public void Dispose() => _meter.Dispose();

    private Measurement<long> Measure(long value) => new(value, _tag);
}
