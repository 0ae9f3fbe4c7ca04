using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace WalActors.Persistence;

/// <summary>
/// Turns persistent representations into journal records and back, with the actor system's serializers. The
/// serializer id and manifest are stored per event, and the event adapter's manifest apart from them.
/// </summary>
internal sealed class EventSerializer
{
    private readonly ExtendedActorSystem _system;
    private readonly AkkaSerialization _serialization;

    public EventSerializer(ExtendedActorSystem system)
    {
        _system = system;
        _serialization = system.Serialization;
    }

    /// <summary>Encodes one event; <see cref="Tagged"/> is unwrapped into the record's tags, never serialized.</summary>
    /// <param name="representation">The event.</param>
    /// <param name="timestamp">The time to stamp it with when it carries none (Eventsourced leaves it 0).</param>
    /// <param name="tags">Receives the event's tags.</param>
    public byte[] Encode(IPersistentRepresentation representation, long timestamp, out IReadOnlyCollection<string> tags)
    {
        var payload = representation.Payload;
        tags = [];
        if (payload is Tagged tagged)
        {
            payload = tagged.Payload;
            tags = tagged.Tags;
        }

        var serializer = _serialization.FindSerializerFor(payload);
        // Serializers that write actor references need the transport information set while they run.
        var bytes = AkkaSerialization.WithTransport(_system, (serializer, payload), state => state.serializer.ToBinary(state.payload));
        return JournalRecordCodec.EncodeEvent(
            representation.PersistenceId,
            representation.SequenceNr,
            tags,
            representation.WriterGuid ?? string.Empty,
            representation.Timestamp == 0 ? timestamp : representation.Timestamp,
            serializer.Identifier,
            AkkaSerialization.ManifestFor(serializer, payload),
            representation.Manifest ?? string.Empty,
            bytes);
    }

    /// <summary>The stored event's payload, deserialized with the serializer and manifest it was written with.</summary>
    public object Deserialize(JournalEvent stored) =>
        _serialization.Deserialize(stored.Payload.ToArray(), stored.SerializerId, stored.SerializerManifest);

    /// <summary>The stored event as replay hands it to a persistent actor (before read-side event adapters).</summary>
    public Persistent ToPersistent(JournalEvent stored) =>
        new(Deserialize(stored), stored.SequenceNr, stored.PersistenceId, stored.EventManifest, isDeleted: false, ActorRefs.NoSender, stored.WriterGuid, stored.Timestamp);
}
