using Akka.Configuration;
using WalActors.Actors;

namespace WalActors.Cluster.Replication;

/// <summary>The HOCON defaults of replicated ledgers.</summary>
public static class WalReplication
{
    private static readonly Lazy<Config> Reference = new(() => EmbeddedConfig.Load("replication.conf"));

    /// <summary>
    /// The serializer binding of the replication protocol (hocon/replication.conf, embedded). Akka reads bindings when
    /// an actor system starts, so every node that holds or writes a replicated ledger must start with these as a
    /// fallback of its configuration; without them Akka.Remote would pick a general-purpose serializer.
    /// </summary>
    public static Config DefaultConfig() => Reference.Value;
}
