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

    public void Dispose() => _listener.Dispose();
}
