using Akka.Actor;
using Akka.Persistence;

namespace WalActors.ClusterNode;

/// <summary>
/// A sharded persistent entity that keeps its whole history in memory, each event with the sequence number the journal
/// gave it, so a read shows exactly what recovery replayed (a gap or a repeat included) plus what it persisted since.
/// </summary>
internal sealed class RecordingEntity : ReceivePersistentActor
{
    private readonly List<long> _sequenceNrs = [];
    private readonly List<string> _values = [];

    // Persist (not PersistAsync) stashes commands until its handler ran, so at most one persist is waiting.
    private IActorRef? _waiting;

    public RecordingEntity()
    {
        PersistenceId = $"{NodeSystem.EntityType}|{Uri.UnescapeDataString(Self.Path.Name)}";
        Recover<string>(Record);
        Command<PersistValue>(command =>
        {
            _waiting = Sender;
            Persist(command.Value, value =>
            {
                Record(value);
                _waiting = null;
                Sender.Tell(new Persisted(LastSequenceNr, value));
            });
        });
        Command<ReadHistory>(_ => Sender.Tell(new History([.. _sequenceNrs], [.. _values])));
    }

    public override string PersistenceId { get; }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _waiting?.Tell(new NotPersisted($"rejected: {cause.GetType().Name}"));
        _waiting = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The actor stops after this (Akka's rule: the journal's state is unknown); the next message starts it again.
        _waiting?.Tell(new NotPersisted($"failed: {cause.GetType().Name}"));
        _waiting = null;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Record(string value)
    {
        _sequenceNrs.Add(LastSequenceNr);
        _values.Add(value);
    }
}
