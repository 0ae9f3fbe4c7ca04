using Akka.Actor;
using Microsoft.Win32.SafeHandles;
using WalActors.Actors.Internal;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Publishes, for read-only tools in other processes, that this process writes the log and how far it is durable
/// (<see cref="LiveStatus"/>): rewritten at most every <see cref="Interval"/> when the durable end moved, deleted when the
/// log stops. Runs on the read dispatcher: a small positioned write to the page cache, never synced, off the default
/// dispatcher and off the writers' threads.
/// </summary>
internal sealed class LiveStatusActor : ReceiveActor, IWithTimers
{
    /// <summary>How stale the published durable end may be; readers judge only what lies below it.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly WalMetrics _metrics;
    private readonly string _path;
    private readonly LiveStatus _identity;
    private SafeFileHandle? _file;
    private long _published = -1;

    public LiveStatusActor(string directory, WalMetrics metrics)
    {
        _metrics = metrics;
        _path = Path.Combine(directory, LiveStatus.FileName);
        _identity = LiveStatus.ForThisProcess(0);
        Receive<Tick>(_ => Publish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string directory, WalMetrics metrics, string dispatcher) =>
        Akka.Actor.Props.Create(() => new LiveStatusActor(directory, metrics)).WithDispatcher(dispatcher);

    protected override void PreStart()
    {
        Publish();
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, Interval);
    }

    protected override void PostStop()
    {
        _file?.Dispose();
        _file = null;
        SegmentFile.TryDelete(_path);
    }

    private void Publish()
    {
        // The end first, then the close: the durability actor sets them in the other order.
        var durable = _metrics.DurableEnd;
        if (durable == _published || _metrics.ClosedAt > 0)
        {
            return;
        }

        try
        {
            _file ??= File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            (_identity with { DurableEnd = durable }).WriteTo(_file, _path);
            _published = durable;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or WalIOException)
        {
            // Advice for other processes only: the log itself is unaffected, and the next tick tries again.
        }
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
