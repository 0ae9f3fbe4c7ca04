using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Tests.Persistence;

/// <summary>A persistent actor that persists each string it is sent, replies "{event}-done", and answers <see cref="GetEvents"/> with all it holds.</summary>
public sealed class RecordingActor : ReceivePersistentActor
{
    private List<string> _events = [];
    private IActorRef? _snapshotRequester;

    public RecordingActor(string persistenceId, string? journalPluginId = null)
    {
        PersistenceId = persistenceId;
        if (journalPluginId is not null)
        {
            JournalPluginId = journalPluginId;
        }

        Recover<string>(recovered => _events.Add(recovered));
        Recover<SnapshotOffer>(offer => _events = ((IEnumerable<string>)offer.Snapshot).ToList());
        Command<GetEvents>(_ => Sender.Tell(_events.ToList()));
        Command<TakeSnapshot>(_ =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(_events.ToArray());
        });
        Command<SaveSnapshotSuccess>(_ => _snapshotRequester?.Tell("snapshot-done"));
        Command<string>(command => Persist(command, persisted =>
        {
            _events.Add(persisted);
            Sender.Tell(persisted + "-done");
        }));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, string? journalPluginId = null) =>
        Akka.Actor.Props.Create(() => new RecordingActor(persistenceId, journalPluginId));

    /// <summary>Asks the actor to save a snapshot of its events; it replies "snapshot-done".</summary>
    public sealed class TakeSnapshot
    {
        public static readonly TakeSnapshot Instance = new();

        private TakeSnapshot()
        {
        }
    }

    /// <summary>Asks for every event the actor holds, recovered and persisted.</summary>
    public sealed class GetEvents
    {
        public static readonly GetEvents Instance = new();

        private GetEvents()
        {
        }
    }
}
