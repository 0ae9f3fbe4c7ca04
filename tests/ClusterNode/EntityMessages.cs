namespace WalActors.ClusterNode;

/// <summary>Persist <paramref name="Value"/> as the entity's next event; answered with <see cref="Persisted"/> or <see cref="NotPersisted"/>.</summary>
public sealed record PersistValue(string EntityId, string Value);

/// <summary>Answer the entity's whole history as it recovered it and persisted since; answered with <see cref="History"/>.</summary>
public sealed record ReadHistory(string EntityId);

/// <summary>The journal acknowledged the event: it is durable at <paramref name="SequenceNr"/>.</summary>
public sealed record Persisted(long SequenceNr, string Value);

/// <summary>The event was not acknowledged (rejected, or the journal failed): its outcome may be unknown.</summary>
public sealed record NotPersisted(string Reason);

/// <summary>The entity's events in order, each with its sequence number.</summary>
public sealed record History(long[] SequenceNrs, string[] Values);
