using WalActors.Format;

namespace WalActors.Persistence;

/// <summary>
/// Coalesces the atomic writes of all <c>WriteMessagesAsync</c> calls that reach the journal together into few log
/// batches. Each batch is atomic in the log, so every atomic write in it stays atomic, and one append (one message,
/// one reservation, one positioned write) carries many persistent actors' events. Used on the journal actor's thread only.
/// </summary>
/// <remarks>
/// A call queues its writes and the first queued write asks for a flush (a message the journal sends itself), so
/// every call already in the journal's mailbox joins the same flush. Under load, batches grow by themselves; alone, a
/// write waits one mailbox turn.
/// </remarks>
internal sealed class JournalWriter
{
    // Batches are cut at this size unless one atomic write alone is larger (up to the log's max-batch-size).
    private const long CoalesceBytes = 1024 * 1024;

    private readonly JournalStore _store;
    private readonly Action _requestFlush;
    private readonly List<QueuedWrite> _queued = [];
    private bool _flushRequested;

    public JournalWriter(JournalStore store, Action requestFlush)
    {
        _store = store;
        _requestFlush = requestFlush;
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
        _queued.Add(new QueuedWrite(write, call, framedBytes));
        if (!_flushRequested)
        {
            _flushRequested = true;
            _requestFlush();
        }
    }

    public void Flush()
    {
        if (!_store.Ready.IsCompleted)
        {
            // Nothing may be appended before the index scan has read the whole log.
            _store.Ready.ContinueWith(_ => _requestFlush(), TaskScheduler.Default);
            return;
        }

        _flushRequested = false;
        if (_store.Ready.Exception is { } failed)
        {
            FailAll(_queued, failed.InnerException ?? failed);
            _queued.Clear();
            return;
        }

        var start = 0;
        while (start < _queued.Count)
        {
            var end = start + 1;
            var bytes = _queued[start].FramedBytes;
            while (end < _queued.Count && bytes + _queued[end].FramedBytes <= CoalesceBytes)
            {
                bytes += _queued[end++].FramedBytes;
            }

            Append(_queued.GetRange(start, end - start));
            start = end;
        }

        _queued.Clear();
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
