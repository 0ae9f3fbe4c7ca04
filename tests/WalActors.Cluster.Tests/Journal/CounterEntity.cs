using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// A persistent entity of the "counter" type whose events are strings. Commands are strings too, so every message
/// crosses Akka.Remote with Akka's own string serializer: "ENTITY:add:VALUE" persists VALUE and answers
/// "added:VALUE@NODE" once the journal acknowledged it, or "failed:VALUE:EXCEPTION TYPE" when the journal failed the
/// write (the entity then stops); "ENTITY:read" answers "history:V1,V2,…@NODE" (the events it recovered and persisted).
/// </summary>
public sealed class CounterEntity : ReceivePersistentActor
{
    public const string TypeName = "counter";

    private readonly List<string> _history = [];
    private readonly string _node;
    private IActorRef _requester = ActorRefs.Nobody;

    public CounterEntity(string persistenceId)
    {
        PersistenceId = persistenceId;
        _node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Recover<string>(_history.Add);
        Command<string>(command =>
        {
            var parts = command.Split(':', 3);
            _requester = Sender;
            if (parts[1] == "add")
            {
                Persist(parts[2], value =>
                {
                    _history.Add(value);
                    _requester.Tell($"added:{value}@{_node}");
                });
            }
            else
            {
                Sender.Tell($"history:{string.Join(",", _history)}@{_node}");
            }
        });
    }

    public override string PersistenceId { get; }

    /// <summary>The persistence id of entity <paramref name="entityId"/>: the journal's default mapping reads it.</summary>
    public static string PersistenceIdOf(string entityId) => $"{TypeName}|{entityId}";

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _requester.Tell($"failed:{@event}:{cause.GetType().Name}");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
