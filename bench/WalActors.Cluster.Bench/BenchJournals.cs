using Akka.Configuration;
using WalActors.Persistence;

namespace WalActors.Cluster.Bench;

/// <summary>The journals compared, each as the configuration of a cluster node whose default journal it is.</summary>
public static class BenchJournals
{
    public const string SqlPostgres = "sql-postgres";
    public const string Wal = "walactors";

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

    /// <summary>Akka.Persistence.Sql with its defaults (batching, parallelism) on PostgreSQL, its tables created at start.</summary>
    public static Config SqlOnPostgres(string connectionString) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.sql"
        akka.persistence.journal.sql {
          connection-string = "{{connectionString}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = true
        }
        """).WithFallback(Node).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);

    /// <summary>WalActors' node-local journal with its defaults, its log under <paramref name="directory"/>.</summary>
    public static Config WalLocal(string directory) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "walactors.persistence.journal"
        walactors.persistence.journal.directory = "{{Path.Combine(directory, "journal")}}"
        """).WithFallback(Node).WithFallback(WalPersistence.DefaultConfig()).WithFallback(WalConfig.Defaults);

    /// <summary>A journal by name; <paramref name="setting"/> is the Sql journal's connection string or a WalActors journal's directory.</summary>
    public static Config For(string journal, string setting) => journal switch
    {
        SqlPostgres => SqlOnPostgres(setting),
        Wal => WalLocal(setting),
        _ => throw new ArgumentException($"unknown journal '{journal}' (known: {SqlPostgres}, {Wal})", nameof(journal)),
    };
}
