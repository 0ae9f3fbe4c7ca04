using Akka.Event;

namespace WalActors.Persistence.Index;

/// <summary>
/// Takes the journal index's checkpoints: when enough log was indexed since the last, at least every interval, and a
/// last one when the journal stops. One at a time; never on the append path (a checkpoint copies what it writes under
/// the index's lock and writes it outside). A checkpoint that fails is logged and taken again later: the index only
/// decides how much log a start-up scans, never what is durable.
/// </summary>
internal sealed class IndexCheckpointer : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private readonly JournalIndex _index;
    private readonly Func<long, uint?> _payloadCrc;
    private readonly IndexSettings _settings;
    private readonly bool _onlyWhenNothingAhead;
    private readonly ILoggingAdapter _log;
    private readonly Lock _one = new();
    private readonly CancellationTokenSource _stop = new();
    private DateTime _last = DateTime.UtcNow;

    /// <param name="index">The index to checkpoint.</param>
    /// <param name="payloadCrc">The CRC-32 of the payload of the record at an LSN, read from the log; null when it cannot be read.</param>
    /// <param name="settings">When to checkpoint.</param>
    /// <param name="onlyWhenNothingAhead">With sync-mode none an acknowledged write may still be lost: checkpoint only at moments when nothing beyond the indexed end is indexed.</param>
    /// <param name="log">Where failures go.</param>
    public IndexCheckpointer(JournalIndex index, Func<long, uint?> payloadCrc, IndexSettings settings, bool onlyWhenNothingAhead, ILoggingAdapter log)
    {
        _index = index;
        _payloadCrc = payloadCrc;
        _settings = settings;
        _onlyWhenNothingAhead = onlyWhenNothingAhead;
        _log = log;
    }

    /// <summary>The bytes of log indexed and not yet checkpointed, from which on a checkpoint is due.</summary>
    public long CheckpointBytes => _settings.CheckpointBytes;

    /// <summary>Checkpoints in the background once <paramref name="ready"/> completes successfully.</summary>
    public void StartWhen(Task ready) =>
        ready.ContinueWith(_ => Task.Run(RunAsync), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>Takes a checkpoint now if anything is new (one slice of at most max-events-per-checkpoint events); false when there was nothing to write or it failed.</summary>
    public bool CheckpointNow()
    {
        lock (_one)
        {
            if (_index.BeginCheckpoint(_onlyWhenNothingAhead, _settings.MaxEventsPerCheckpoint) is not { } batch)
            {
                return false;
            }

            try
            {
                if (batch.CheckCrcPending)
                {
                    var lsn = batch.Checkpoint.CheckLsn;
                    var crc = _payloadCrc(lsn) ?? throw new InvalidOperationException($"the record at {lsn} could not be read back");
                    batch.Checkpoint = batch.Checkpoint with { CheckCrc = crc };
                }

                _index.Persisted!.Write(batch);
                _index.CheckpointWritten(batch);
                _last = DateTime.UtcNow;
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _index.CheckpointFailed(batch);
                if (e is not ObjectDisposedException)
                {
                    _log.Warning(e, "The journal index's checkpoint failed; the next start-up scans more of the log. It is tried again.");
                }

                return false;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_index.BytesSinceCheckpoint >= _settings.CheckpointBytes || DateTime.UtcNow - _last >= _settings.CheckpointInterval)
                {
                    // Slice after slice while a backlog lasts (a rebuild leaves the whole log in memory).
                    while (CheckpointNow() && _index.BytesSinceCheckpoint >= _settings.CheckpointBytes && !_stop.IsCancellationRequested)
                    {
                    }

                    _last = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the journal.
        }
        catch (ObjectDisposedException)
        {
            // Stopped with the journal.
        }
    }
}
