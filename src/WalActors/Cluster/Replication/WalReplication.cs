using Akka.Configuration;

namespace WalActors.Cluster.Replication;

/// <summary>The HOCON defaults of replicated ledgers.</summary>
public static class WalReplication
{
    private static readonly Lazy<Config> Reference = new(Load);

    /// <summary>
    /// The serializer binding of the replication protocol (hocon/replication.conf, embedded). Akka reads bindings when
    /// an actor system starts, so every node that holds or writes a replicated ledger must start with these as a
    /// fallback of its configuration; without them Akka.Remote would pick a general-purpose serializer.
    /// </summary>
    public static Config DefaultConfig() => Reference.Value;

    private static Config Load()
    {
        using var stream = typeof(WalReplication).Assembly.GetManifestResourceStream("WalActors.replication.conf")
            ?? throw new InvalidOperationException("The embedded replication.conf is missing from the WalActors assembly.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
