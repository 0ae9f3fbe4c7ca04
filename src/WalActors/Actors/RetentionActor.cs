using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Compaction;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Drops leading segments on request and, when a size or age limit is configured, on its own; never anything that is
/// not yet durable. Compacts closed segments on request. Runs on the I/O dispatcher: rewriting and deleting files and
/// syncing the directory block. One actor does both, so a compaction and a truncation never touch a segment at once.
/// </summary>
internal sealed class RetentionActor : ReceiveActor, IWithTimers
{
    private readonly IWalStore _store;
    private readonly WalMetrics _metrics;
    private readonly WalOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RetentionActor(IWalStore store, WalMetrics metrics, WalOptions options, int readLimit, IActorRef log)
    {
        _store = store;
        _metrics = metrics;
        _options = options;

        Receive<TruncateRequest>(request =>
        {
            try
            {
                var head = store.TruncateBefore(Math.Min(request.Before, metrics.DurableEnd));
                request.ReplyTo.Tell(new TruncatedBefore(new Lsn(head)), log);
            }
            catch (WalException e)
            {
                request.ReplyTo.Tell(new Status.Failure(e), log);
            }
        });

        Receive<CompactRequest>(request =>
        {
            try
            {
                request.ReplyTo.Tell(Compact(request.Compact, readLimit), log);
            }
            catch (WalException e)
            {
                request.ReplyTo.Tell(new Status.Failure(e), log);
            }
        });

        Receive<Check>(_ => ApplyLimits());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IWalStore store, WalMetrics metrics, WalOptions options, int readLimit, IActorRef log) =>
        Akka.Actor.Props.Create(() => new RetentionActor(store, metrics, options, readLimit, log)).WithDispatcher(options.IoDispatcher);

    protected override void PreStart()
    {
        if (_options.RetentionMaxBytes > 0 || _options.RetentionMaxAge > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(Check.Instance, Check.Instance, _options.RetentionCheckInterval);
        }
    }

    private SegmentsCompacted Compact(CompactSegments compact, int readLimit)
    {
        if (_store is not SegmentedStore { IsReadOnly: false } segmented)
        {
            return new SegmentsCompacted([], 0);
        }

        // Closed: not the segment being written, and durable to its end, so no write reaches it and every frame in it holds.
        var durable = _metrics.DurableEnd;
        var closed = segmented.Segments.SkipLast(1).Where(s => s.BaseOffset + s.Size <= durable).Select(s => s.BaseOffset);
        var chosen = compact.Segments is { } wanted ? closed.Intersect(wanted) : closed;
        var done = new List<SegmentCompaction>();
        foreach (var baseOffset in chosen.ToList())
        {
            if (baseOffset < segmented.Head / segmented.SegmentSize * segmented.SegmentSize)
            {
                continue;
            }

            Action? beforeRename = compact.BeforeRename is { } hook ? () => hook(baseOffset) : null;
            var result = SegmentCompactor.Compact(segmented, baseOffset, durable, readLimit, compact.IsLive, beforeRename);
            if (result.Replaced)
            {
                _metrics.AddCompacted(result.BytesBefore - result.BytesAfter, result.RecordsDropped);
                _log.Info("WalActors: compacted segment {0}: {1} -> {2} bytes, {3} records dropped",
                    baseOffset, result.BytesBefore, result.BytesAfter, result.RecordsDropped);
            }

            done.Add(result);
        }

        return new SegmentsCompacted(done, segmented.BytesOnDisk);
    }

    private void ApplyLimits()
    {
        var durable = _metrics.DurableEnd;
        var head = _store.Head;
        var target = head;
        if (_options.RetentionMaxBytes > 0 && durable - head > _options.RetentionMaxBytes)
        {
            target = durable - _options.RetentionMaxBytes;
        }

        if (_options.RetentionMaxAge > TimeSpan.Zero && _store is SegmentedStore segmented)
        {
            var cutoff = DateTime.UtcNow - _options.RetentionMaxAge;
            foreach (var segment in segmented.Segments.SkipLast(1))
            {
                if (segment.BaseOffset + segment.Size <= durable && File.GetLastWriteTimeUtc(segment.FilePath) < cutoff)
                {
                    target = Math.Max(target, segment.BaseOffset + segment.Size);
                }
            }
        }

        if (target <= head)
        {
            return;
        }

        // Dropping every segment that ends by the target leaves the head at the first record after it; that record is what
        // the store may move the head to.
        if (_store is SegmentedStore starts && starts.RecordStartAtOrAfter(target) is { } recordStart)
        {
            target = recordStart;
        }

        try
        {
            var newHead = _store.TruncateBefore(Math.Min(target, durable));
            if (newHead > head)
            {
                _log.Info("WalActors: retention dropped LSN {0}..{1}", head, newHead);
            }
        }
        catch (WalException e)
        {
            _log.Warning("WalActors: retention could not drop segments: {0}", e.Message);
        }
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }
}
