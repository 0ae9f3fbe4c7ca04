using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace WalActors.Actors.Internal;

/// <summary>The mailbox type of a log's facade (HOCON <c>walactors.log-mailbox</c>): a <see cref="LogMessageQueue"/> per log.</summary>
internal sealed class LogMailbox : MailboxType, IProducesMessageQueue<LogMessageQueue>
{
    /// <summary>The HOCON path of this mailbox's configuration.</summary>
    public const string ConfigPath = "walactors.log-mailbox";

    public LogMailbox(Settings settings, Config config)
        : base(settings, config)
    {
    }

    // The owner's props carry the log's handle: from it the queue knows the capacity to admit against.
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) =>
        new LogMessageQueue(owner is ActorRefWithCell withCell ? LogHandle.In(withCell.Underlying.Props) : null);
}
