using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using WalActors.Cluster;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Query;

namespace WalActors;

/// <summary>Akka.Hosting registration of the cluster journal (events in replicated ledgers, one per shard).</summary>
public static class WalClusterPersistenceHostingExtensions
{
    /// <summary>
    /// Makes the cluster journal (<c>walactors.cluster.journal</c>) the system's default journal and the cluster snapshot
    /// store (<c>walactors.cluster.snapshot-store</c>, snapshots in the same ledgers) its default snapshot store, configures
    /// the cluster read journal (<c>walactors.cluster.query</c>, <see cref="WalClusterReadJournal"/>), starts this node's
    /// ledger replica host (every node needs one, persisting or not) and sets Cluster.Sharding's <c>use-lease</c> to the
    /// etcd lease the journal writes under, for example
    /// <c>builder.WithWalClusterPersistence(o =&gt; { o.Directory = "/var/lib/app/ledgers"; o.LeaseEndpoints = ["http://10.0.0.5:2379"]; })</c>.
    /// The node must run Akka.Cluster. Sharding takes its allocation
    /// strategy only in code: start each entity type with <c>new ReplicaAwareAllocationStrategy(typeName)</c> (in
    /// <c>ClusterSharding.Start</c>) so its shards run on the nodes that keep their ledgers; elsewhere the journal refuses
    /// them with <see cref="ShardNotOnReplicaException"/>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static AkkaConfigurationBuilder WithWalClusterPersistence(this AkkaConfigurationBuilder builder, Action<WalClusterPersistenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new WalClusterPersistenceOptions();
        configure?.Invoke(options);
        options.Validate();

        builder.AddHocon(Settings(options), HoconAddMode.Prepend);
        builder.AddHocon(WalClusterJournal.DefaultConfig(), HoconAddMode.Append);
        // The read journal's section, so that ReadJournalFor<WalClusterReadJournal>(Identifier) finds its class.
        builder.AddHocon(WalClusterReadJournal.DefaultConfiguration(), HoconAddMode.Append);
        builder.WithExtensions(typeof(LedgerReplicasProvider));
        if (options.ShardOf is { } shardOf)
        {
            builder.AddSetup(new ShardMappingSetup(shardOf));
        }

        return builder;
    }

    private static Config Settings(WalClusterPersistenceOptions options)
    {
        var hocon = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"akka.persistence.journal.plugin = {ClusterJournalSettings.Path.ToHocon()}")
            .AppendLine(CultureInfo.InvariantCulture, $"akka.persistence.snapshot-store.plugin = {WalClusterSnapshotStore.Path.ToHocon()}")
            .AppendLine(CultureInfo.InvariantCulture, $"akka.cluster.sharding.use-lease = {WalCluster.LeaseConfigPath.ToHocon()}")
            // Sharding's own state (coordinator, remembered entities) is no shard's: it cannot live in shard ledgers.
            .AppendLine("akka.cluster.sharding.state-store-mode = ddata")
            .AppendLine(CultureInfo.InvariantCulture, $"{ClusterJournalSettings.Path} {{")
            .AppendLine(CultureInfo.InvariantCulture, $"  directory = {Path.GetFullPath(options.Directory).ToHocon()}")
            .AppendLine(CultureInfo.InvariantCulture, $"  replicas = {options.Replicas}")
            .AppendLine(CultureInfo.InvariantCulture, $"  write-quorum = {options.WriteQuorum}")
            .AppendLine(CultureInfo.InvariantCulture, $"  number-of-shards = {options.NumberOfShards}")
            .AppendLine(CultureInfo.InvariantCulture, $"  lease-config-path = {WalCluster.LeaseConfigPath.ToHocon()}");
        if (options.Timeout is { } timeout)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"  timeout = {(long)Math.Ceiling(timeout.TotalMilliseconds)}ms");
        }

        hocon.AppendLine("}");
        if (options.LeasedSingletonsRemovalMargin is { } margin)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.cluster.singleton.use-lease = {WalCluster.LeaseConfigPath.ToHocon()}")
                .AppendLine(CultureInfo.InvariantCulture, $"akka.cluster.down-removal-margin = {(long)Math.Ceiling(margin.TotalMilliseconds)}ms")
                // A singleton that finds the dead holder's lease not yet expired retries this often rather than Akka's 5 s,
                // so it starts soon after the lease's TTL even when the removal came first.
                .AppendLine(CultureInfo.InvariantCulture, $"akka.cluster.singleton.lease-retry-interval = {(long)Math.Ceiling(margin.TotalMilliseconds / 2)}ms");
        }

        if (options.LeaseEndpoints is { Count: > 0 } endpoints)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"{WalCluster.LeaseConfigPath}.endpoints = [{string.Join(", ", endpoints.Select(e => e.ToHocon()))}]");
        }

        return ConfigurationFactory.ParseString(hocon.ToString());
    }
}
