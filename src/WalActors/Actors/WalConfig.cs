using Akka.Configuration;
using WalActors.Actors;

namespace WalActors;

/// <summary>The library's HOCON defaults (hocon/reference.conf, embedded).</summary>
public static class WalConfig
{
    private static readonly Lazy<Config> Reference = new(() => EmbeddedConfig.Load("reference.conf"));

    /// <summary>The whole <c>walactors</c> reference configuration.</summary>
    public static Config Defaults => Reference.Value;
}
