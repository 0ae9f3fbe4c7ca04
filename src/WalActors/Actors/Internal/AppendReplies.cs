using Akka.Actor;
using WalActors.Format;

namespace WalActors.Actors.Internal;

/// <summary>Answers append requests: a reply message to an actor, or a completed task for <see cref="IWalClient"/> callers.</summary>
internal static class AppendReplies
{
    /// <summary>
    /// Acknowledges <paramref name="entry"/> at its LSN; returns (records, payload bytes) for the counters. A batch that
    /// ends with a consumer commit updates <paramref name="consumers"/> first, so whoever hears of the commit finds it there.
    /// </summary>
    public static (int Records, long Bytes) Acknowledge(in PendingAppend entry, IActorRef log, ConsumerRegistry consumers)
    {
        switch (entry.Request)
        {
            case Append append:
                if (append.Completion is { } completion)
                {
                    completion.TrySetResult(new Lsn(entry.Lsn));
                }
                else
                {
                    entry.ReplyTo.Tell(new Appended(new Lsn(entry.Lsn), append.CorrelationId), log);
                }

                return (1, append.Payload.Length);

            case AppendBatch batch:
                var lsns = new Lsn[batch.Payloads.Count];
                var lsn = entry.Lsn;
                long bytes = 0;
                for (var i = 0; i < lsns.Length; i++)
                {
                    lsns[i] = new Lsn(lsn);
                    lsn += FrameCodec.FrameSize(batch.Payloads[i].Length);
                    bytes += batch.Payloads[i].Length;
                }

                if (batch.Commit is { } commit)
                {
                    consumers.Apply(commit, lsns[^1].Value);
                }

                if (batch.Completion is { } batchCompletion)
                {
                    batchCompletion.TrySetResult(lsns);
                }
                else
                {
                    entry.ReplyTo.Tell(new BatchAppended(lsns, batch.CorrelationId), log);
                }

                return (lsns.Length, bytes);

            default:
                throw new InvalidOperationException($"Unexpected request {entry.Request.GetType()}.");
        }
    }

    public static void Fail(object request, IActorRef replyTo, WalException reason, IActorRef log)
    {
        switch (request)
        {
            case Append { Completion: { } completion }:
                completion.TrySetException(reason);
                break;
            case Append append:
                replyTo.Tell(new AppendFailed(reason, append.CorrelationId), log);
                break;
            case AppendBatch { Completion: { } completion }:
                completion.TrySetException(reason);
                break;
            case AppendBatch batch:
                replyTo.Tell(new AppendFailed(reason, batch.CorrelationId), log);
                break;
        }
    }

    public static void Fail(in PendingAppend entry, WalException reason, IActorRef log) => Fail(entry.Request, entry.ReplyTo, reason, log);

    /// <summary>
    /// Fails every entry of <paramref name="batch"/> not answered yet and gives back their room; returns how many it failed.
    /// Answered are the first <see cref="WriteBatch.Answered"/> entries and, once the batch lies inside the written prefix
    /// (<paramref name="writtenEnd"/>), its entries that needed no barrier, which were acknowledged as soon as it was written.
    /// </summary>
    public static int FailUnanswered(WriteBatch batch, long writtenEnd, bool barrierless, WalException reason, LogCapacity capacity, IActorRef log)
    {
        var written = batch.Start >= 0 && batch.End <= writtenEnd;
        var failed = 0;
        long bytes = 0;
        for (var i = batch.Answered; i < batch.Count; i++)
        {
            ref var entry = ref batch[i];
            if (written && (barrierless || entry.Durability == Durability.Written))
            {
                continue;
            }

            Fail(entry, reason, log);
            failed++;
            bytes += entry.FrameBytes;
        }

        capacity.Release(failed, bytes);
        return failed;
    }
}
