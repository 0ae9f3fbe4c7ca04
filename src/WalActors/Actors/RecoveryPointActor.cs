using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Keeps the log's recovery point (<see cref="RecoveryPoint"/>) close behind the durable end: it continues recovery's
/// scan over what becomes durable and, each time that passes into a new segment, stores where it got to, so a restart
/// after a kill scans about one segment. At a clean close it stores the close marker's end, so a restart scans nothing.
/// </summary>
/// <remarks>
/// <para>Off the append path: its own thread on the I/O dispatcher, reading only durable bytes (in the page cache, just
/// written), told nothing by the pipeline; it looks at the durable end on a timer. A scan that meets a frame that does
/// not validate below the durable end stops keeping the recovery point (recovery will judge that frame), never the log.</para>
/// <para>A compaction or a truncation below the recovery point moves the store's epoch on (and deletes the file): what
/// was scanned before may no longer be what the log holds, so the scan starts again from the head, in steps, before the
/// next recovery point is stored; during a compaction pass, once the pass is over (not once per segment it rewrites).
/// Retention moves the head: the prefix drops what lies before it first.</para>
/// </remarks>
internal sealed class RecoveryPointActor : ReceiveActor, IWithTimers
{
    /// <summary>The most scanned in one message, so a seal never waits behind a long rescan.</summary>
    private const long StepBytes = 256L * 1024 * 1024;

    private readonly IWalStore _store;
    private readonly IRecoveryPointStore _points;
    private readonly TimeSpan _checkInterval;
    private readonly WalMetrics _metrics;
    private readonly int _readLimit;
    private readonly string _path;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly bool _followDurableEnd;
    private LogPrefix _prefix;
    private long _epoch;
    private long _stored;
    private bool _stopped;

    /// <param name="store">The log's store, which keeps the recovery point.</param>
    /// <param name="prefix">What recovery's scan found, up to the recovered end.</param>
    /// <param name="scannedFrom">Where recovery's scan began: the recovery point it used, or the head.</param>
    /// <param name="epoch">The store's recovery point epoch when recovery ended, read before anything else could move it.</param>
    /// <param name="metrics">The log's metrics: the durable end.</param>
    /// <param name="readLimit">The largest payload a frame of the log may hold.</param>
    /// <param name="path">The log's path, for errors.</param>
    /// <param name="checkInterval">
    /// How often to look at the durable end while the log runs; zero not to follow it: without barriers (sync mode none)
    /// that end is not on stable storage, and only a clean close, which syncs, stores a recovery point.
    /// </param>
    public RecoveryPointActor(IWalStore store, LogPrefix prefix, long scannedFrom, long epoch, WalMetrics metrics, int readLimit, string path, TimeSpan checkInterval)
    {
        _points = (IRecoveryPointStore)store;
        _checkInterval = checkInterval;
        _followDurableEnd = checkInterval > TimeSpan.Zero;
        _store = store;
        _prefix = prefix;
        _stored = scannedFrom;
        _epoch = epoch;
        _metrics = metrics;
        _readLimit = readLimit;
        _path = path;
        _points.KeepCachedFrom(_followDurableEnd ? prefix.End : long.MaxValue);

        Receive<Check>(_ => Keep(_metrics.DurableEnd, seal: false));
        Receive<SealRecoveryPoint>(seal =>
        {
            Keep(seal.End, seal: true);
            _stopped = true;
            Sender.Tell(RecoveryPointSealed.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        IWalStore store, LogPrefix prefix, long scannedFrom, long epoch, WalMetrics metrics, int readLimit, string path, TimeSpan checkInterval, string dispatcher) =>
        Akka.Actor.Props.Create(() => new RecoveryPointActor(store, prefix, scannedFrom, epoch, metrics, readLimit, path, checkInterval)).WithDispatcher(dispatcher);

    protected override void PreStart()
    {
        if (_followDurableEnd)
        {
            Timers.StartPeriodicTimer(Check.Instance, Check.Instance, _checkInterval);
        }
    }

    /// <summary>Scans on towards <paramref name="durable"/> and stores a recovery point when a segment was passed (or, sealing, at the end).</summary>
    private void Keep(long durable, bool seal)
    {
        if (_stopped)
        {
            return;
        }

        try
        {
            if (_points.RecoveryPointEpoch != _epoch)
            {
                if (_points.IsCompacting && !seal)
                {
                    // Each segment the pass replaces would start the scan from the head again (at 10 M events, gigabytes
                    // read beside the appends): one scan once the pass is over. The timer looks again meanwhile.
                    return;
                }

                Restart();
            }

            // A seal finishes what little is left; a scan started over from the head is not finished for it.
            var target = seal && durable - _prefix.End <= 2 * StepBytes ? durable : Math.Min(durable, _prefix.End + StepBytes);
            var scanned = _prefix.ScanTo(_store, target, _readLimit, _path);
            _points.KeepCachedFrom(scanned && !seal ? _prefix.End : long.MaxValue);
            if (!scanned)
            {
                _stopped = true;
                _log.Warning("WalActors: {0}: a frame below the durable end at LSN {1} does not validate; the recovery point is no longer kept", _path, _prefix.End);
                return;
            }

            if (_prefix.End < durable && !seal && _followDurableEnd)
            {
                Self.Tell(Check.Instance);
            }

            var passedSegment = _prefix.End / _points.SegmentSize > _stored / _points.SegmentSize;
            if ((passedSegment || (seal && _prefix.End == durable)) && _prefix.End > _stored)
            {
                Store();
            }
        }
        catch (Exception e) when (e is LogTruncatedException or ObjectDisposedException)
        {
            // Retention dropped what the scan stood on (it starts over from the new head), or the log has closed.
            Restart();
        }
        catch (Exception e)
        {
            _log.Warning("WalActors: {0}: the recovery point could not be kept up to date ({1}); recovery scans further", _path, e.Message);
        }
    }

    private void Store()
    {
        if (!_prefix.Rebase(_store.Head))
        {
            Restart();
            return;
        }

        if (RecoveryPoint.Write(_points, _prefix, _epoch))
        {
            _stored = _prefix.End;
        }
    }

    /// <summary>Starts the scan again from the head: the bytes scanned may have changed under it.</summary>
    private void Restart()
    {
        _epoch = _points.RecoveryPointEpoch;
        _prefix = new LogPrefix(_store.Head, _points.SegmentSize);
        _stored = _store.Head;
        _points.KeepCachedFrom(_store.Head);
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }
}
