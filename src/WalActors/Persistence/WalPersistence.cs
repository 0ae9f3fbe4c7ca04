using Akka.Configuration;
using WalActors.Actors;

namespace WalActors.Persistence;

/// <summary>The plugin ids and HOCON defaults of the WalActors journal and read journal.</summary>
public static class WalPersistence
{
    /// <summary>The HOCON path of the journal configured by plain HOCON: set <c>akka.persistence.journal.plugin</c> to it.</summary>
    public const string JournalPluginId = "walactors.persistence.journal";

    /// <summary>The HOCON path of the read journal that serves <see cref="JournalPluginId"/> (or the journal its <c>write-plugin</c> names).</summary>
    public const string QueryPluginId = "walactors.persistence.query";

    /// <summary>The HOCON path of the snapshot store: <c>akka.persistence.snapshot-store.plugin = "walactors.persistence.snapshot-store"</c>.</summary>
    public const string SnapshotStorePluginId = "walactors.persistence.snapshot-store";

    private static readonly Lazy<Config> Reference = new(() => EmbeddedConfig.Load("persistence.conf"));

    /// <summary>The <c>walactors.persistence</c> defaults (hocon/persistence.conf, embedded).</summary>
    public static Config DefaultConfig() => Reference.Value;
}
