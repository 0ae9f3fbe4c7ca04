using Akka.Actor.Setup;

namespace WalActors.Cluster.Journal;

/// <summary>The application's persistence id → shard mapping, handed to the journal by <c>WithWalClusterPersistence</c>.</summary>
internal sealed class ShardMappingSetup(Func<string, ShardLocation> shardOf) : Setup
{
    public Func<string, ShardLocation> ShardOf { get; } = shardOf;
}
