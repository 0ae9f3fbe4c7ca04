using Akka.Actor;

namespace WalActors.Actors.Internal;

/// <summary>One append request on its way through the pipeline: stored by value in pooled arrays, never boxed.</summary>
internal struct PendingAppend
{
    /// <summary>The client's <see cref="Append"/> or <see cref="AppendBatch"/> message itself: no copy is made.</summary>
    public object Request;

    /// <summary>Who gets the reply (no one when the request carries a completion).</summary>
    public IActorRef ReplyTo;

    /// <summary>The bytes the request's frames take in the log.</summary>
    public int FrameBytes;

    /// <summary>The LSN of the request's first frame, set by the writer.</summary>
    public long Lsn;

    public PendingAppend(object request, IActorRef replyTo, int frameBytes)
    {
        Request = request;
        ReplyTo = replyTo;
        FrameBytes = frameBytes;
        Lsn = -1;
    }

    public readonly long End => Lsn + FrameBytes;

    public readonly Durability Durability => Request is Append append ? append.Durability : ((AppendBatch)Request).Durability;
}
