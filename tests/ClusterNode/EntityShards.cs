using Akka.Cluster.Sharding;

namespace WalActors.ClusterNode;

/// <summary>
/// Shards by Cluster.Sharding's own hash of the entity id: the mapping the cluster journal assumes by default for a
/// persistence id "TYPE|ENTITY" when given the same number of shards, so the node needs no mapping in code.
/// </summary>
internal sealed class EntityShards(int shards) : HashCodeMessageExtractor(shards)
{
    public override string EntityId(object message) => message switch
    {
        PersistValue persist => persist.EntityId,
        ReadHistory read => read.EntityId,
        _ => throw new ArgumentException($"not an entity message: {message.GetType()}", nameof(message)),
    };
}
