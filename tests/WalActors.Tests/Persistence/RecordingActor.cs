using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Tests.Persistence;

/// <summary>A persistent actor that persists each string it is sent, replies "{event}-done", and answers <see cref="GetEvents"/> with all it holds.</summary>
public sealed class RecordingActor : ReceivePersistentActor
{
    private readonly List<string> _events = [];

    public RecordingActor(string persistenceId, string? journalPluginId = null)
    {
        PersistenceId = persistenceId;
        if (journalPluginId is not null)
        {
            JournalPluginId = journalPluginId;
        }

        Recover<string>(_events.Add);
        Command<GetEvents>(_ => Sender.Tell(_events.ToList()));
        Command<string>(command => Persist(command, persisted =>
        {
            _events.Add(persisted);
            Sender.Tell(persisted + "-done");
        }));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, string? journalPluginId = null) =>
        Akka.Actor.Props.Create(() => new RecordingActor(persistenceId, journalPluginId));

    /// <summary>Asks for every event the actor holds, recovered and persisted.</summary>
    public sealed class GetEvents
    {
        public static readonly GetEvents Instance = new();

        private GetEvents()
        {
        }
    }
}
