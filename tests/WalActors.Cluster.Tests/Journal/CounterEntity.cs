using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// A persistent entity of the "counter" type whose events are strings. Commands are strings too, so every message
/// crosses Akka.Remote with Akka's own string serializer: "ENTITY:add:VALUE" persists VALUE and answers
/// "added:VALUE@NODE" once the journal acknowledged it, or "failed:VALUE:EXCEPTION TYPE" when the journal failed the
/// write (the entity then stops); "ENTITY:delete:N" deletes its events up to N and answers "deleted:N";
/// "ENTITY:snapshot" saves its history as a snapshot and answers "snapshotted:SEQNR" (or "snapshot-failed:EXCEPTION TYPE");
/// "ENTITY:read" answers "history:V1,V2,…@NODE" (what it recovered, from a snapshot and events, and persisted).
/// </summary>
public sealed class CounterEntity : ReceivePersistentActor
{
    public const string TypeName = "counter";

    private readonly List<string> _history = [];
    private readonly string _node;
    private readonly IActorRef _failures;
    private IActorRef _requester = ActorRefs.Nobody;

    /// <param name="persistenceId">The entity's persistence id.</param>
    /// <param name="failures">Told "recovery-failed:EXCEPTION TYPE" if the journal fails the recovery (the entity then stops).</param>
    public CounterEntity(string persistenceId, IActorRef? failures = null)
    {
        PersistenceId = persistenceId;
        _failures = failures ?? ActorRefs.Nobody;
        _node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Recover<string>(_history.Add);
        Recover<SnapshotOffer>(offer => _history.AddRange(((string)offer.Snapshot).Split(',', StringSplitOptions.RemoveEmptyEntries)));
        Command<SaveSnapshotSuccess>(saved => _requester.Tell($"snapshotted:{saved.Metadata.SequenceNr}"));
        Command<SaveSnapshotFailure>(failed => _requester.Tell($"snapshot-failed:{failed.Cause.GetType().Name}"));
        Command<DeleteMessagesSuccess>(deleted => _requester.Tell($"deleted:{deleted.ToSequenceNr}"));
        Command<DeleteMessagesFailure>(failed => _requester.Tell($"delete-failed:{failed.Cause.GetType().Name}"));
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
            else if (parts[1] == "snapshot")
            {
                SaveSnapshot(string.Join(",", _history));
            }
            else if (parts[1] == "delete")
            {
                DeleteMessages(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
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

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _failures.Tell($"recovery-failed:{reason.GetType().Name}");
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _requester.Tell($"failed:{@event}:{cause.GetType().Name}");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
