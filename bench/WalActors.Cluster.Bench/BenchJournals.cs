using Akka.Configuration;
using WalActors.Cluster.Journal;
using WalActors.Persistence;

namespace WalActors.Cluster.Bench;

/// <summary>The journals compared, each as the configuration of a cluster node whose default journal it is.</summary>
public static class BenchJournals
{
    public const string SqlPostgres = "sql-postgres";
    public const string Wal = "walactors";
    public const string ClusterR1 = "cluster-r1";
    public const string ClusterR3W2 = "cluster-r3w2";

    public static readonly string[] All = [SqlPostgres, Wal, ClusterR1, ClusterR3W2];

    /// <summary>True for the cluster journal's rows, which need etcd and three nodes.</summary>
    public static bool IsCluster(string journal) => journal is ClusterR1 or ClusterR3W2;

    /// <summary>
    /// A cluster node on 127.0.0.1 (a port the OS picks) with sharding's state in memory (ddata, no remember-entities),
    /// entities never passivated during a run, and the in-memory snapshot store (the entities take no snapshots).
    /// </summary>
    private static Config Node => ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.sharding {
          state-store-mode = ddata
          remember-entities = off
          passivate-idle-entity-after = off
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    /// <summary>
    /// A journal by name for the node called <paramref name="node"/>. <paramref name="setting"/> is the Sql journal's
    /// connection string, else the directory of the run's journal files (each node's under a folder of its own, the
    /// cluster journal's etcd keys under a prefix made from it, so all nodes of one cluster share their leases).
    /// </summary>
    public static Config For(string journal, string setting, string? etcdEndpoint = null, string node = "node0") => journal switch
    {
        SqlPostgres => SqlOnPostgres(setting),
        Wal => WalLocal(Path.Combine(setting, node)),
        ClusterR1 => ClusterJournal(setting, node, etcdEndpoint, replicas: 1, writeQuorum: 1),
        ClusterR3W2 => ClusterJournal(setting, node, etcdEndpoint, replicas: 3, writeQuorum: 2),
        _ => throw new ArgumentException($"unknown journal '{journal}' (known: {string.Join(", ", All)})", nameof(journal)),
    };

    /// <summary>Akka.Persistence.Sql with its defaults (batching, parallelism) on PostgreSQL, its tables created at start.</summary>
    private static Config SqlOnPostgres(string connectionString) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.sql"
        akka.persistence.journal.sql {
          connection-string = "{{connectionString}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = true
        }
        """).WithFallback(Node).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);

    /// <summary>WalActors' node-local journal with its defaults, its log under <paramref name="directory"/>.</summary>
    private static Config WalLocal(string directory) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "walactors.persistence.journal"
        walactors.persistence.journal.directory = "{{Path.Combine(directory, "journal")}}"
        """).WithFallback(Node).WithFallback(WalPersistence.DefaultConfig()).WithFallback(WalConfig.Defaults);

    /// <summary>
    /// The cluster journal with its defaults (timeout, ledger logs, the etcd lease's TTL and heartbeat) but R and W,
    /// Sharding's use-lease on its etcd lease, and the replica host on every node (the HOCON form of
    /// <c>WithWalClusterPersistence</c>).
    /// </summary>
    private static Config ClusterJournal(string directory, string node, string? etcdEndpoint, int replicas, int writeQuorum) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "walactors.cluster.journal"
        akka.cluster.sharding.use-lease = "walactors.cluster.lease"
        akka.extensions = ["WalActors.Cluster.Journal.LedgerReplicasProvider, WalActors"]
        walactors.cluster.journal {
          directory = "{{Path.Combine(directory, node)}}"
          replicas = {{replicas}}
          write-quorum = {{writeQuorum}}
          number-of-shards = {{BenchNode.Shards}}
        }
        walactors.cluster.lease {
          endpoints = ["{{etcdEndpoint ?? throw new ArgumentException("the cluster journal needs etcd", nameof(etcdEndpoint))}}"]
          key-prefix = "cluster-bench{{directory}}/"
        }
        """).WithFallback(Node).WithFallback(WalClusterJournal.DefaultConfig());
}
