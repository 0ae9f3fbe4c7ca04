using Akka.Configuration;
using WalActors.Actors;

namespace WalActors.Cluster;

/// <summary>The HOCON paths and defaults of WalActors' cluster support.</summary>
public static class WalCluster
{
    /// <summary>
    /// The HOCON path of the etcd lease's settings: name it where Akka takes a lease's config path, e.g.
    /// <c>akka.cluster.sharding.use-lease = "walactors.cluster.lease"</c>.
    /// </summary>
    public const string LeaseConfigPath = "walactors.cluster.lease";

    private static readonly Lazy<Config> Reference = new(() => EmbeddedConfig.Load("cluster.conf"));

    /// <summary>
    /// The <c>walactors.cluster</c> defaults (hocon/cluster.conf, embedded). Akka's <c>LeaseProvider</c> reads
    /// <c>lease-class</c> from the actor system's configuration, so add these as a fallback of it.
    /// </summary>
    public static Config DefaultConfig() => Reference.Value;
}
