using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Compaction;

namespace WalActors.Persistence.Compaction;

/// <summary>
/// Runs compaction passes over one plugin's log: on demand, and by itself when the dead share of the closed segments
/// reaches the configured threshold. One pass at a time; the log's own actors do the rewriting.
/// </summary>
internal sealed class PluginCompactor : IDisposable
{
    private static readonly TimeSpan PassTimeout = TimeSpan.FromHours(1);

    private readonly IActorRef _log;
    private readonly Func<SegmentUsage> _usage;
    private readonly CompactionSettings _settings;
    private readonly RecordLiveness _isLive;
    private readonly ILoggingAdapter _logger;
    private readonly SemaphoreSlim _onePass = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="log">The plugin's log.</param>
    /// <param name="usage">The plugin's record counts per segment (replaced once its start-up scan knows the log's segment size).</param>
    /// <param name="settings">When passes start by themselves.</param>
    /// <param name="isLive">Which records survive.</param>
    /// <param name="logger">Where passes are reported.</param>
    /// <param name="onCompacted">Told of every segment a pass rewrote (a plugin forgetting what it tracked of the dropped records).</param>
    public PluginCompactor(
        IActorRef log, Func<SegmentUsage> usage, CompactionSettings settings, RecordLiveness isLive, ILoggingAdapter logger,
        Action<SegmentCompaction>? onCompacted = null)
    {
        _log = log;
        _usage = usage;
        _settings = settings;
        _isLive = isLive;
        _logger = logger;
        OnCompacted = onCompacted;
    }

    private Action<SegmentCompaction>? OnCompacted { get; }

    /// <summary>Starts the periodic check once <paramref name="ready"/> completes (the plugin's index is built).</summary>
    public void StartWhen(Task ready)
    {
        if (_settings.Enabled)
        {
            _ = Task.Run(() => CheckPeriodicallyAsync(ready, _stopping.Token));
        }
    }

    /// <summary>The estimated dead bytes of the closed segments below <paramref name="durableEnd"/>: compaction's backlog.</summary>
    public long Backlog(long durableEnd) => _usage().Closed(ClosedEnd(durableEnd)).DeadBytes;

    /// <summary>Compacts every closed segment that holds a dead record.</summary>
    /// <exception cref="WalException">The log refused or failed.</exception>
    public Task<LogCompacted> CompactNowAsync(CancellationToken cancellationToken = default) => RunAsync(onDemand: true, cancellationToken);

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task CheckPeriodicallyAsync(Task ready, CancellationToken stopping)
    {
        try
        {
            await ready.WaitAsync(stopping).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_settings.CheckInterval);
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    var done = await RunAsync(onDemand: false, stopping).ConfigureAwait(false);
                    if (done.SegmentsRewritten > 0)
                    {
                        _logger.Info("WalActors: compaction rewrote {0} segments: {1} -> {2} bytes, {3} records dropped",
                            done.SegmentsRewritten, done.BytesBefore, done.BytesAfter, done.RecordsDropped);
                    }
                }
                catch (WalException e) when (e is WalStoppedException or WalFaultedException)
                {
                    return;
                }
                catch (WalException e)
                {
                    _logger.Warning("WalActors: compaction failed and will be tried again: {0}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The plugin's start failed (its own callers see why); there is nothing to compact.
            _logger.Debug("WalActors: compaction stopped: {0}", e.Message);
        }
    }

    private async Task<LogCompacted> RunAsync(bool onDemand, CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var status = await _log.Ask<WalStatus>(GetStatus.Instance, PassTimeout, cancellationToken).ConfigureAwait(false);
            var usage = _usage();
            var closedEnd = ClosedEnd(status.DurableEnd.Value);
            List<long> segments;
            if (onDemand)
            {
                segments = usage.WorthCompacting(closedEnd, double.Epsilon);
            }
            else
            {
                var (dead, bytes) = usage.Closed(closedEnd);
                segments = bytes > 0 && dead >= _settings.DeadShare * bytes ? usage.WorthCompacting(closedEnd, _settings.SegmentDeadShare) : [];
            }

            var compacted = await _log.Ask<SegmentsCompacted>(new CompactSegments(_isLive, segments, BytesPerSecond: _settings.RateBytesPerSecond), PassTimeout, cancellationToken).ConfigureAwait(false);
            var rewritten = compacted.Segments.Where(s => s.Replaced).ToList();
            foreach (var segment in rewritten)
            {
                usage.Compacted(segment.BaseOffset, segment.RecordsKept, segment.BytesAfter);
                OnCompacted?.Invoke(segment);
            }

            var reclaimed = rewritten.Sum(s => s.BytesBefore - s.BytesAfter);
            return new LogCompacted(compacted.BytesOnDisk + reclaimed, compacted.BytesOnDisk, rewritten.Count,
                rewritten.Sum(s => s.RecordsKept), rewritten.Sum(s => s.RecordsDropped));
        }
        catch (AskTimeoutException)
        {
            throw new WalStoppedException();
        }
        finally
        {
            _onePass.Release();
        }
    }

    private long ClosedEnd(long durableEnd) => durableEnd / _usage().SegmentSize * _usage().SegmentSize;
}
