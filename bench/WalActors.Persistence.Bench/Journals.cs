using Akka.Configuration;
using WalActors.Persistence;

namespace WalActors.Persistence.Bench;

/// <summary>The journals compared, each as an actor system configuration over a directory.</summary>
public static class Journals
{
    public const string InMemory = "in-memory";
    public const string Wal = "walactors";
    public const string Sqlite = "sql-sqlite";

    private const string Common = """
        akka.loglevel = WARNING
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private const string Utf8Strings = """
        akka.actor.serializers.utf8 = "WalActors.Persistence.Bench.Utf8StringSerializer, WalActors.Persistence.Bench"
        akka.actor.serialization-bindings { "System.String" = utf8 }
        """;

    public static Config For(string journal, string directory, bool json) =>
        json ? For(journal, directory) : ConfigurationFactory.ParseString(Utf8Strings).WithFallback(For(journal, directory));

    private static Config For(string journal, string directory) =>
        ConfigurationFactory.ParseString($"akka.persistence.max-concurrent-recoveries = {Environment.GetEnvironmentVariable("BENCH_MAX_RECOVERIES") ?? "100"}")
            .WithFallback(ForJournal(journal, directory));

    private static Config ForJournal(string journal, string directory) => journal switch
    {
        InMemory => ConfigurationFactory.ParseString(Common + "\nakka.persistence.journal.plugin = \"akka.persistence.journal.inmem\""),
        Wal => ConfigurationFactory.ParseString(Common + $$"""

            akka.persistence.journal.plugin = "walactors.persistence.journal"
            walactors.persistence.journal.directory = "{{Path.Combine(directory, "journal")}}"
            walactors.persistence.journal.sync-mode = {{Environment.GetEnvironmentVariable("BENCH_SYNC_MODE") ?? "group"}}
            walactors.persistence.journal.writers = {{Environment.GetEnvironmentVariable("BENCH_WRITERS") ?? "2"}}
            walactors.persistence.journal.readers = {{Environment.GetEnvironmentVariable("BENCH_READERS") ?? "2"}}
            walactors.persistence.journal.index.persisted = {{Environment.GetEnvironmentVariable("BENCH_INDEX") ?? "on"}}
            walactors.persistence.journal.plugin-dispatcher = "{{Environment.GetEnvironmentVariable("BENCH_PLUGIN_DISPATCHER") ?? "akka.actor.default-dispatcher"}}"
            """).WithFallback(WalPersistence.DefaultConfig()).WithFallback(WalConfig.Defaults),
        Sqlite => ConfigurationFactory.ParseString(Common + $$"""

            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              connection-string = "Data Source={{Path.Combine(directory, "journal.db")}}"
              provider-name = "SQLite.MS"
              auto-initialize = true
            }
            """).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration),
        _ => throw new ArgumentException($"Unknown journal {journal}", nameof(journal)),
    };
}
