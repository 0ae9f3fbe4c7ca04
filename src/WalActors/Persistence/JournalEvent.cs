namespace WalActors.Persistence;

/// <summary>One event as the journal stored it: identity, provenance, how to deserialize it, its tags and its bytes.</summary>
/// <param name="PersistenceId">The persistent actor's id.</param>
/// <param name="SequenceNr">The event's sequence number within its persistence id.</param>
/// <param name="WriterGuid">The writing actor incarnation's id (the replay filter tells writers apart with it).</param>
/// <param name="Timestamp">When it was written, in <see cref="DateTime.Ticks"/> (UTC).</param>
/// <param name="SerializerId">The serializer that produced <paramref name="Payload"/>.</param>
/// <param name="SerializerManifest">That serializer's manifest for the payload.</param>
/// <param name="EventManifest">The event adapter's manifest, kept apart from the serializer's.</param>
/// <param name="Tags">The tags it was written with (unwrapped from <c>Tagged</c>).</param>
/// <param name="Payload">The serialized event.</param>
internal sealed record JournalEvent(
    string PersistenceId,
    long SequenceNr,
    string WriterGuid,
    long Timestamp,
    int SerializerId,
    string SerializerManifest,
    string EventManifest,
    string[] Tags,
    ReadOnlyMemory<byte> Payload);
