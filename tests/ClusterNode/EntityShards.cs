using System.Globalization;
using Akka.Cluster.Sharding;

namespace WalActors.ClusterNode;

/// <summary>Entity ids are numbers; entity N lives in shard N mod the shard count, so a test can tell which shard holds it.</summary>
internal sealed class EntityShards(int shards) : IMessageExtractor
{
    public string EntityId(object message) => message switch
    {
        PersistValue persist => persist.EntityId,
        ReadHistory read => read.EntityId,
        _ => throw new ArgumentException($"not an entity message: {message.GetType()}", nameof(message)),
    };

    public object EntityMessage(object message) => message;

    public string ShardId(object message) => ShardId(EntityId(message));

    public string ShardId(string entityId, object? messageHint = null) =>
        (long.Parse(entityId, CultureInfo.InvariantCulture) % shards).ToString(CultureInfo.InvariantCulture);
}
