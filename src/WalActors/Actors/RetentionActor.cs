using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Compaction;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Drops leading segments on request and, when a size or age limit is configured, on its own; never anything that is
/// not yet durable, nor anything a registered consumer that is not lossy has not committed. Compacts closed segments on
/// request. Runs on the I/O dispatcher: rewriting and deleting files and syncing the directory block. One actor does both,
/// so a compaction and a truncation never touch a segment at once.
/// </summary>
/// <remarks>
/// A consumer's latest commit frame lies after the position it commits, so keeping every position a consumer needs keeps
/// its commit too. A lossy consumer's commit may lie in what is dropped: it is written again first, so the consumer is
/// not forgotten and fails with <see cref="LogTruncatedException"/> when it resumes, rather than starting afresh.
/// </remarks>
internal sealed class RetentionActor : ReceiveActor, IWithTimers
{
    private readonly IWalStore _store;
    private readonly WalMetrics _metrics;
    private readonly WalOptions _options;
    private readonly ConsumerRegistry _consumers;
    private readonly LogAppender _appender;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CompactionThread? _compactionThread;

    public RetentionActor(IWalStore store, WalMetrics metrics, WalOptions options, int readLimit, ConsumerRegistry consumers, IActorRef log)
    {
        _store = store;
        _metrics = metrics;
        _options = options;
        _consumers = consumers;
        _appender = new LogAppender(log);

        // Asynchronous only to carry lossy consumers' commits forward; the mailbox waits meanwhile, so drops never overlap.
        ReceiveAsync<TruncateRequest>(async request =>
        {
            try
            {
                var head = store.TruncateBefore(await KeepConsumersAsync(Math.Min(request.Before, metrics.DurableEnd)).ConfigureAwait(false));
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
                _compactionThread ??= new CompactionThread($"walactors-compaction-{Self.Path.Parent.Name}", options.CompactionThreadNice);
                request.ReplyTo.Tell(_compactionThread.Run(atLockPriority => Compact(request.Compact, readLimit, atLockPriority)), log);
            }
            catch (WalException e)
            {
                request.ReplyTo.Tell(new Status.Failure(e), log);
            }
        });

        ReceiveAsync<Check>(_ => ApplyLimitsAsync());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IWalStore store, WalMetrics metrics, WalOptions options, int readLimit, ConsumerRegistry consumers, IActorRef log) =>
        Akka.Actor.Props.Create(() => new RetentionActor(store, metrics, options, readLimit, consumers, log)).WithDispatcher(options.IoDispatcher);

    protected override void PreStart()
    {
        if (_options.RetentionMaxBytes > 0 || _options.RetentionMaxAge > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(Check.Instance, Check.Instance, _options.RetentionCheckInterval);
        }
    }

    protected override void PostStop()
    {
        _compactionThread?.Dispose();
        base.PostStop();
    }

    private SegmentsCompacted Compact(CompactSegments compact, int readLimit, Action<Action> atLockPriority)
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
        var pace = new CompactionPace(compact.BytesPerSecond);
        using var pass = segmented.BeginCompactionPass();
        foreach (var baseOffset in chosen.ToList())
        {
            if (baseOffset < segmented.Head / segmented.SegmentSize * segmented.SegmentSize)
            {
                continue;
            }

            Action? beforeRename = compact.BeforeRename is { } hook ? () => hook(baseOffset) : null;
            var result = SegmentCompactor.Compact(segmented, baseOffset, durable, readLimit, compact.IsLive, beforeRename, pace, atLockPriority);
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

    /// <summary>
    /// Lowers <paramref name="target"/> to the first position a consumer that is not lossy still needs, and writes again
    /// the commits of lossy consumers whose frames lie below it; returns where truncation may go.
    /// </summary>
    /// <exception cref="WalException">A commit could not be written again (the log stopped or faulted): nothing is dropped.</exception>
    private async Task<long> KeepConsumersAsync(long target)
    {
        if (_consumers.RetentionLimit() is { } limit)
        {
            target = Math.Min(target, limit);
        }

        foreach (var commit in _consumers.LossyCommitsBelow(target))
        {
            await _appender.AppendBatchAsync([Format.ConsumerCommitCodec.Encode(commit)], Durability.Durable, CancellationToken.None, commit).ConfigureAwait(false);
        }

        return target;
    }

    private async Task ApplyLimitsAsync()
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
            var newHead = _store.TruncateBefore(await KeepConsumersAsync(Math.Min(target, durable)).ConfigureAwait(false));
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
