using System.Diagnostics;

namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// What closed-loop producers report to: each producer owns one histogram (no sharing, no locks), appends complete
/// during the warm-up are not counted, and producers stop issuing new appends once <see cref="Stopping"/> is set.
/// </summary>
internal sealed class LoadRecorder
{
    private readonly LatencyHistogram[] _histograms;
    private volatile bool _measuring;
    private volatile bool _stopping;

    public LoadRecorder(int producers)
    {
        _histograms = new LatencyHistogram[producers];
        for (var i = 0; i < producers; i++)
        {
            _histograms[i] = new LatencyHistogram();
        }
    }

    public int Producers => _histograms.Length;

    /// <summary>Set when producers must not start another append.</summary>
    public bool Stopping => _stopping;

    /// <summary>Records one durable append of producer <paramref name="producer"/> that started at <paramref name="startTimestamp"/>.</summary>
    public void Completed(int producer, long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        if (_measuring)
        {
            _histograms[producer].Record(elapsed);
        }
    }

    /// <summary>Appends counted so far; racy reads of other producers' counters, good enough for a progress line.</summary>
    public long LiveCount => _histograms.Sum(h => h.Count);

    public void StartMeasuring() => _measuring = true;

    public void StopMeasuring() => _measuring = false;

    public void Stop() => _stopping = true;

    /// <summary>All producers' latencies in one histogram; read only after measuring stopped.</summary>
    public LatencyHistogram Merge()
    {
        var all = new LatencyHistogram();
        foreach (var histogram in _histograms)
        {
            all.Add(histogram);
        }

        return all;
    }
}
