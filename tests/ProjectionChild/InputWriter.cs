using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace WalActors.ProjectionChild;

/// <summary>Persists input events under one persistence id, tagged "in"; answers with how many once they are written.</summary>
internal sealed class InputWriter : ReceivePersistentActor
{
    public InputWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<string>(_ => { });
        Command<string[]>(events =>
        {
            var replyTo = Sender;
            PersistAll(events.Select(e => new Tagged(e, ["in"])), _ => { });
            DeferAsync(events.Length, count => replyTo.Tell(count, Self));
        });
    }

    public override string PersistenceId { get; }
}
