using Akka.Configuration;

namespace WalActors.Cluster.Journal;

/// <summary>The cluster journal's settings (<c>walactors.cluster.journal</c> over the embedded defaults), validated once.</summary>
/// <param name="Directory">Every ledger copy of this node lives in the one log <c>ledger-copies</c> under it.</param>
/// <param name="Replicas">R: the copies of each ledger, the writer's included.</param>
/// <param name="WriteQuorum">W: the copies that hold an event durably before it is acknowledged.</param>
/// <param name="Timeout">The longest a write, read or recovery waits for its quorum.</param>
/// <param name="LeaseConfigPath">The lease's config path, the same as Sharding's <c>use-lease</c>.</param>
/// <param name="NumberOfShards">The default mapping's shard count (Sharding's <c>HashCodeMessageExtractor</c>).</param>
/// <param name="LedgerLog">The options of the node's ledger-copy log, without its directory.</param>
/// <param name="EnsembleKeyPrefix">The etcd key prefix of the ledgers' ensembles (on the lease's etcd); empty for the lease's key-prefix + <c>ledger-ensembles/</c>.</param>
internal sealed record ClusterJournalSettings(
    string Directory,
    int Replicas,
    int WriteQuorum,
    TimeSpan Timeout,
    string LeaseConfigPath,
    int NumberOfShards,
    WalOptions LedgerLog,
    string EnsembleKeyPrefix)
{
    /// <summary>Where the journal is configured (a fixed plugin id: other parts of WalActors name it).</summary>
    public const string Path = "walactors.cluster.journal";

    /// <summary>The directory of this node's ledger-copy log, which holds every copy it keeps.</summary>
    public string CopiesDirectory => System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, "ledger-copies"));

    /// <summary>Where copies lived when each had a log of its own (<c>ledgers/&lt;ledger id&gt;</c>): refused, not read.</summary>
    public string OldLayoutDirectory => System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, "ledgers"));

    /// <summary>Reads the settings from the system's configuration at <see cref="Path"/>, over the shipped defaults.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names its key.</exception>
    public static ClusterJournalSettings From(Config systemConfig)
    {
        var defaults = WalClusterJournal.DefaultConfig().GetConfig(Path);
        var section = systemConfig.HasPath(Path) ? systemConfig.GetConfig(Path).WithFallback(defaults) : defaults;
        var settings = new ClusterJournalSettings(
            section.GetString("directory"),
            section.GetInt("replicas"),
            section.GetInt("write-quorum"),
            section.GetTimeSpan("timeout"),
            section.GetString("lease-config-path"),
            section.GetInt("number-of-shards"),
            WalOptions.FromConfig(section.GetConfig("ledger-log").WithFallback(ConfigurationFactory.ParseString("directory = unused"))),
            section.GetString("ensemble-key-prefix"));
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Directory), "directory", "must name a directory");
        Require(Replicas >= 1, "replicas", $"must be at least 1; got {Replicas}");
        Require(WriteQuorum >= 1 && WriteQuorum <= Replicas, "write-quorum", $"must be between 1 and replicas ({Replicas}); got {WriteQuorum}");
        Require(Timeout > TimeSpan.Zero, "timeout", $"must be positive; got {Timeout}");
        Require(!string.IsNullOrWhiteSpace(LeaseConfigPath), "lease-config-path", "must name the lease's config path");
        Require(NumberOfShards >= 1, "number-of-shards", $"must be at least 1; got {NumberOfShards}");
    }

    private static void Require(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{Path}.{key} {problem}.");
        }
    }
}
