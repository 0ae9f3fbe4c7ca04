using Akka;
using Akka.Actor;

namespace WalActors.Actors.Internal;

/// <summary>
/// Answers a request that a log can no longer serve, the way the log would have failed it: used by a stopped facade,
/// by the facade's mailbox when the actor terminates, and for requests that reach dead letters after it has.
/// </summary>
internal static class StoppedReplies
{
    /// <summary>
    /// Answers <paramref name="message"/> (sent by <paramref name="sender"/>) with <paramref name="reason"/>; false when it is
    /// not a request of the log's protocol. A store in an unadopted <see cref="RecoveryCompleted"/> is closed.
    /// </summary>
    public static bool TryAnswer(object message, IActorRef? sender, WalException reason, IActorRef log)
    {
        switch (message)
        {
            case Append or AppendBatch:
                AppendReplies.Fail(message, sender ?? ActorRefs.Nobody, reason, log);
                return true;
            case RecoveryCompleted completed:
                completed.Store.Dispose();
                return true;
            case ReadRequest request:
                request.ReplyTo.Tell(new Status.Failure(reason), log);
                return true;
            case TruncateRequest request:
                request.ReplyTo.Tell(new Status.Failure(reason), log);
                return true;
            case CompactRequest request:
                request.ReplyTo.Tell(new Status.Failure(reason), log);
                return true;
            case SubscribeEnds subscribe:
                subscribe.Reader.Tell(new LogClosed(reason), log);
                return true;
        }

        if (sender.IsNobody())
        {
            return message is Read or TruncateBefore or CompactSegments or Sync or GetStatus or AwaitReady or AttachReader or Shutdown;
        }

        switch (message)
        {
            case Read or TruncateBefore or CompactSegments:
                sender!.Tell(new Status.Failure(reason), log);
                return true;
            case Sync or GetStatus or AwaitReady:
                sender!.Tell(new Status.Failure(reason), log);
                return true;
            case AttachReader:
                sender!.Tell(new LogClosed(reason), log);
                return true;
            case Shutdown:
                // Asking a log that is gone to stop: it has.
                sender!.Tell(Done.Instance, log);
                return true;
            default:
                return false;
        }
    }
}
