using System.Diagnostics;

namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// What closed-loop producers report to: up to <see cref="OwnHistograms"/> producers each own one histogram (no sharing,
/// no locks); more producers (the open-loop scenarios' thousands) share that many, recording with interlocked adds, so
/// 10,000 producers cost 64 histograms (2 MiB), not 10,000 (300 MiB). Appends completed during the warm-up are not
/// counted, and producers stop issuing new appends once <see cref="Stopping"/> is set.
/// </summary>
internal sealed class LoadRecorder
{
    private const int OwnHistograms = 64;
    private readonly LatencyHistogram[] _histograms;
    private readonly bool _shared;
    private volatile bool _measuring;
    private volatile bool _stopping;

    public LoadRecorder(int producers)
    {
        Producers = producers;
        _shared = producers > OwnHistograms;
        _histograms = new LatencyHistogram[Math.Min(producers, OwnHistograms)];
        for (var i = 0; i < _histograms.Length; i++)
        {
            _histograms[i] = new LatencyHistogram();
        }
    }

    public int Producers { get; }

    /// <summary>Set when producers must not start another append.</summary>
    public bool Stopping => _stopping;

    /// <summary>Records one durable append of producer <paramref name="producer"/> that started at <paramref name="startTimestamp"/>.</summary>
    public void Completed(int producer, long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        if (!_measuring)
        {
            return;
        }

        if (_shared)
        {
            _histograms[producer % _histograms.Length].RecordConcurrently(elapsed);
        }
        else
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
