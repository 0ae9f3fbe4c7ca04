using Akka.Util;

namespace WalActors.Cluster.Journal;

/// <summary>
/// The mapping for applications that give none in code: a persistence id <c>"&lt;type name&gt;|&lt;entity id&gt;"</c>
/// belongs to the shard Cluster.Sharding's <c>HashCodeMessageExtractor</c> gives the entity id with the same number of
/// shards (abs of its MurmurHash string hash, modulo the count).
/// </summary>
internal static class DefaultShardMapping
{
    public const char Separator = '|';

    /// <exception cref="ArgumentException">The persistence id has no <c>|</c> after a non-empty type name.</exception>
    public static ShardLocation Locate(string persistenceId, int numberOfShards)
    {
        var separator = persistenceId.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new ArgumentException(
                $"Persistence id '{persistenceId}' is not '<type name>{Separator}<entity id>', and no ShardOf mapping was given (WithWalClusterPersistence).",
                nameof(persistenceId));
        }

        var entityId = persistenceId[(separator + 1)..];
        return new ShardLocation(persistenceId[..separator], ShardOf(entityId, numberOfShards));
    }

    /// <summary>The shard id HashCodeMessageExtractor gives <paramref name="entityId"/> (widened so int.MinValue cannot overflow Math.Abs).</summary>
    public static string ShardOf(string entityId, int numberOfShards) =>
        (Math.Abs((long)MurmurHash.StringHash(entityId)) % numberOfShards).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
