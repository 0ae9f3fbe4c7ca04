using System.Diagnostics;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.OpenLoop;

/// <summary>
/// What the rate pacer and the completions report to. Latency is counted from each append's <em>scheduled</em> time,
/// not from when it was sent: if the pacer falls behind (the system holds it up, or the machine is saturated) the delay
/// counts against the system, so the figures do not suffer from coordinated omission.
/// </summary>
internal sealed class RateRecorder
{
    private readonly LatencyHistogram _latencies = new();
    private readonly LatencyHistogram _sendLag = new();
    private long _inFlight;
    private long _failed;
    private Exception? _firstFailure;
    private volatile bool _measuring;
    private volatile bool _stopping;

    /// <summary>Set when the pacer must not offer another append.</summary>
    public bool Stopping => _stopping;

    /// <summary>Appends offered and not yet answered.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Appends completed in the measured window so far.</summary>
    public long LiveCount => _latencies.Count;

    public long FailedCount => Interlocked.Read(ref _failed);

    public Exception? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>Latency from the scheduled time to durable, of the appends completed while measuring.</summary>
    public LatencyHistogram Latencies => _latencies;

    /// <summary>How late the pacer sent each append after its scheduled time (recorded by the pacer's thread only).</summary>
    public LatencyHistogram SendLag => _sendLag;

    /// <summary>Called by the pacer just before it offers the append scheduled at <paramref name="scheduled"/>.</summary>
    public void Sending(long scheduled)
    {
        Interlocked.Increment(ref _inFlight);
        if (_measuring)
        {
            _sendLag.Record(Stopwatch.GetTimestamp() - scheduled);
        }
    }

    public void Completed(long scheduled)
    {
        var elapsed = Stopwatch.GetTimestamp() - scheduled;
        if (_measuring)
        {
            _latencies.RecordConcurrently(elapsed);
        }

        Interlocked.Decrement(ref _inFlight);
    }

    public void Failed(Exception error)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstFailure, error, null);
        Interlocked.Decrement(ref _inFlight);
    }

    public void StartMeasuring() => _measuring = true;

    public void StopMeasuring() => _measuring = false;

    public void Stop() => _stopping = true;
}
