namespace WalActors;

/// <summary>An event a projection's handler writes to the journal it reads, under a persistence id the projection owns.</summary>
/// <remarks>
/// The projection appends it with the next sequence number of <paramref name="PersistenceId"/>, so no persistent actor
/// may write that id: the projection must be its only writer.
/// </remarks>
/// <param name="PersistenceId">The id to append to (written only by this projection).</param>
/// <param name="Event">The event, serialized with the serializer bound to its type.</param>
/// <param name="Tags">Tags to index it under; none when null.</param>
public sealed record ProjectedEvent(string PersistenceId, object Event, IReadOnlyCollection<string>? Tags = null);
