using WalActors.Format;

namespace WalActors.Persistence;

/// <summary>
/// Coalesces the atomic writes of all <c>WriteMessagesAsync</c> calls that reach the journal together into few log
/// batches. Each batch is atomic in the log, so every atomic write in it stays atomic, and one append (one message,
/// one reservation, one positioned write) carries many persistent actors' events.
/// </summary>
/// <remarks>
/// The journal actor queues; a flush on the thread pool appends what is queued, and what arrives while it runs joins the
/// next round, so batches grow by themselves under load. The flush is not a message to the journal: in a recovery storm
/// its mailbox holds tens of thousands of requests, and a write that waited behind them all would outlast Akka's
/// circuit-breaker timeout (which runs from the moment the call starts). One flush runs at a time, so the log receives
/// the writes in the order the journal took them: one persistent actor's writes stay in order.
/// </remarks>
internal sealed class JournalWriter
{
    // Batches are cut at this size unless one atomic write alone is larger (up to the log's max-batch-size).
    private const long CoalesceBytes = 1024 * 1024;

    private readonly JournalStore _store;
    private readonly Lock _gate = new();
    private List<QueuedWrite> _queued = [];
    private bool _flushing;

    public JournalWriter(JournalStore store)
    {
        _store = store;
    }

    /// <summary>Checks a write against the log's size limits: what does not fit is rejected, never half-written.</summary>
    /// <returns>Why the log would refuse it, or null; <paramref name="framedBytes"/> is its size in the log.</returns>
    public RecordTooLargeException? TooLarge(PreparedWrite write, out long framedBytes)
    {
        framedBytes = 0;
        foreach (var record in write.Records)
        {
            if (record.Length > _store.Options.MaxRecordSize)
            {
                return new RecordTooLargeException(record.Length, _store.Options.MaxRecordSize, "max-record-size");
            }

            framedBytes += FrameCodec.FrameSize(record.Length);
        }

        return framedBytes > _store.Options.MaxBatchSize ? new RecordTooLargeException(framedBytes, _store.Options.MaxBatchSize, "max-batch-size") : null;
    }

    public void Enqueue(PreparedWrite write, PendingCall call, long framedBytes)
    {
        lock (_gate)
        {
            _queued.Add(new QueuedWrite(write, call, framedBytes));
            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.FlushWhenReady(), this, preferLocal: false);
    }

    private void FlushWhenReady()
    {
        if (!_store.Ready.IsCompleted)
        {
            // Nothing may be appended before the index scan has read the whole log.
            _store.Ready.ContinueWith((_, writer) => ((JournalWriter)writer!).FlushWhenReady(), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        while (TakeQueued() is { } queued)
        {
            if (_store.Ready.Exception is { } failed)
            {
                FailAll(queued, failed.InnerException ?? failed);
                continue;
            }

            AppendInBatches(queued);
        }
    }

    // Null once nothing is queued, and then the next write starts a new flush.
    private List<QueuedWrite>? TakeQueued()
    {
        lock (_gate)
        {
            if (_queued.Count == 0)
            {
                _flushing = false;
                return null;
            }

            var taken = _queued;
            _queued = [];
            return taken;
        }
    }

    private void AppendInBatches(List<QueuedWrite> queued)
    {
        var start = 0;
        while (start < queued.Count)
        {
            var end = start + 1;
            var bytes = queued[start].FramedBytes;
            while (end < queued.Count && bytes + queued[end].FramedBytes <= CoalesceBytes)
            {
                bytes += queued[end++].FramedBytes;
            }

            Append(queued.GetRange(start, end - start));
            start = end;
        }
    }

    private static void FailAll(List<QueuedWrite> writes, Exception cause)
    {
        foreach (var queued in writes)
        {
            queued.Call.Fail(cause);
        }
    }

    private void Append(List<QueuedWrite> batch)
    {
        var records = new List<ReadOnlyMemory<byte>>();
        foreach (var queued in batch)
        {
            records.AddRange(queued.Write.Records);
        }

        _store.Client.AppendBatchAsync(records).ContinueWith(
            (appended, state) => Acknowledged((List<QueuedWrite>)state!, appended),
            batch,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Acknowledged(List<QueuedWrite> batch, Task<IReadOnlyList<Lsn>> appended)
    {
        if (!appended.IsCompletedSuccessfully)
        {
            FailAll(batch, appended.Exception?.InnerException ?? new WalStoppedException());
            return;
        }

        var lsns = appended.Result;
        var offset = 0;
        foreach (var queued in batch)
        {
            var write = queued.Write;
            var count = write.Records.Length;
            _store.Index.AddWrite(write.PersistenceId, write.SequenceNrs, write.Tags, lsns, offset, JournalStore.EndOf(lsns[offset + count - 1], write.Records[^1].Length));
            offset += count;
            queued.Call.WriteDone();
        }
    }
}
