using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Cluster.Bench;

/// <summary>
/// A sharded persistent entity: each <see cref="PersistOne"/> persists one 16-byte event (a byte array, so Akka's
/// built-in byte-array serializer writes it as is in every journal) and answers once it is acknowledged; a
/// <see cref="Ping"/> is answered with the highest sequence number, persisting nothing.
/// </summary>
public sealed class PersistingEntity : ReceivePersistentActor
{
    private static readonly byte[] Event = "cluster-bench-ev"u8.ToArray();
    private readonly string _entityId;
    private IActorRef _requester = ActorRefs.Nobody;

    public PersistingEntity(string entityId)
    {
        _entityId = entityId;
        // "<type name>|<entity id>": the cluster journal maps such an id to its shard's ledger by itself.
        PersistenceId = BenchNode.EntityType + "|" + entityId;
        Recover<byte[]>(_ => { });
        Command<PersistOne>(_ =>
        {
            _requester = Sender;
            Persist(Event, _ => _requester.Tell(new Persisted(_entityId, LastSequenceNr)));
        });
        Command<Ping>(_ => Sender.Tell(new Persisted(_entityId, LastSequenceNr)));
    }

    public override string PersistenceId { get; }

    public static Props Props(string entityId) => Akka.Actor.Props.Create(() => new PersistingEntity(entityId));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _requester.Tell(new PersistFailed(_entityId, cause.Message));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _requester.Tell(new PersistFailed(_entityId, cause.Message));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}
