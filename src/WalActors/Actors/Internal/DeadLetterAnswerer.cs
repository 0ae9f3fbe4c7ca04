using Akka.Actor;
using Akka.Event;

namespace WalActors.Actors.Internal;

/// <summary>
/// Answers the log requests that reach dead letters: those sent to a log that has terminated, and those left in the
/// mailbox of a pipeline actor that stopped (a read for the reader, a sync for the durability actor). Without it such a
/// request would simply never be answered, and an actor waiting for <see cref="Appended"/> or a client's ask would wait
/// forever (or for its timeout). One per actor system, started with the first log.
/// </summary>
internal sealed class DeadLetterAnswerer : ReceiveActor
{
    public DeadLetterAnswerer()
    {
        Receive<DeadLetter>(dead => StoppedReplies.TryAnswer(dead.Message, dead.Sender, new WalStoppedException(), dead.Recipient));
    }

    public static Props Props { get; } = Akka.Actor.Props.Create(() => new DeadLetterAnswerer());

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
