using Akka.Persistence.Journal;

namespace WalActors.Cluster.Tests.Query;

/// <summary>The query tests' write-side adapter: every string event is tagged "counter", and those containing "red" also "red".</summary>
public sealed class ColourTagger : IWriteEventAdapter
{
    public const string Hocon = """
        walactors.cluster.journal {
          event-adapters { colour = "WalActors.Cluster.Tests.Query.ColourTagger, WalActors.Cluster.Tests" }
          event-adapter-bindings { "System.String" = colour }
        }
        """;

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) =>
        evt is string value ? new Tagged(value, value.Contains("red", StringComparison.Ordinal) ? ["counter", "red"] : ["counter"]) : evt;
}
