using Akka.Cluster.Sharding;

namespace WalActors.Cluster.Bench;

/// <summary>Asks the entity to persist one event and answer <see cref="Persisted"/> once the journal acknowledged it.</summary>
public sealed record PersistOne(string EntityId);

/// <summary>The entity's event is durable in its journal, under this sequence number.</summary>
public sealed record Persisted(string EntityId, long SequenceNr);

/// <summary>
/// Asks the entity for its highest sequence number, persisting nothing: it answers <see cref="Persisted"/> once it has
/// recovered (commands wait in its stash until then), so the answer says it serves again and with how much history.
/// </summary>
public sealed record Ping(string EntityId);

/// <summary>The journal failed or rejected the entity's event; the entity stops (Akka.Persistence's rule).</summary>
public sealed record PersistFailed(string EntityId, string Reason);

/// <summary>Routes <see cref="PersistOne"/> and <see cref="Ping"/> by entity id over a fixed number of shards.</summary>
public sealed class EntityExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        PersistOne persist => persist.EntityId,
        Ping ping => ping.EntityId,
        _ => null,
    };
}
