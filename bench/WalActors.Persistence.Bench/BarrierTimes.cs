using System.Diagnostics.Metrics;

namespace WalActors.Persistence.Bench;

/// <summary>
/// Adds up the log's barrier durations (the <c>walactors.log.barrier.duration</c> histogram) while it is alive: how much
/// of a closed loop's time the disk takes, against the hops through Akka and the log.
/// </summary>
public sealed class BarrierTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;
    private double _seconds;
    private double _longest;

    public BarrierTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "walactors.log.barrier.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_listener)
            {
                _count++;
                _seconds += seconds;
                _longest = Math.Max(_longest, seconds);
            }
        });
        _listener.Start();
    }

    /// <summary>Barriers and their summed duration so far.</summary>
    public (long Count, TimeSpan Total) Read()
    {
        lock (_listener)
        {
            return (_count, TimeSpan.FromSeconds(_seconds));
        }
    }

    /// <summary>The longest barrier so far.</summary>
    public TimeSpan Longest
    {
        get
        {
            lock (_listener)
            {
                return TimeSpan.FromSeconds(_longest);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
