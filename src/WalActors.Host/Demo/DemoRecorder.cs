using System.Diagnostics;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Demo;

/// <summary>
/// What the demo's producers report to: one shared latency histogram (a fixed 30 KiB however many producers run), the
/// failures, and a task that completes when the last producer has stopped. No actor in between, so any number of
/// producers can report without a mailbox to overflow.
/// </summary>
internal sealed class DemoRecorder(int producers)
{
    private readonly LatencyHistogram _latencies = new();
    private readonly TaskCompletionSource _allStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running = producers;
    private long _failed;
    private Exception? _firstFailure;
    private volatile bool _stopping;

    /// <summary>Set when producers must not send another append.</summary>
    public bool Stopping => _stopping;

    public LatencyHistogram Latencies => _latencies;

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Why the first failed append failed, if one did.</summary>
    public Exception? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>Completes when every producer has stopped.</summary>
    public Task AllStopped => _allStopped.Task;

    public void Acknowledged(long sentTimestamp) => _latencies.RecordConcurrently(Stopwatch.GetTimestamp() - sentTimestamp);

    public void Fail(Exception reason)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstFailure, reason, null);
    }

    public void Stop() => _stopping = true;

    public void ProducerStopped()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _allStopped.TrySetResult();
        }
    }
}
