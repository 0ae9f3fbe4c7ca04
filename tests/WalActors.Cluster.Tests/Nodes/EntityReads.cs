using System.Globalization;
using WalActors.Cluster.Tests.History;

namespace WalActors.Cluster.Tests.Nodes;

/// <summary>
/// Reads every entity's history through the reachable nodes (live, not blackholed: a cut-off node would answer from
/// the shards it still believes it hosts), asking again until it answers, and records each read in the checker.
/// </summary>
public static class EntityReads
{
    private static readonly TimeSpan AskPatience = TimeSpan.FromSeconds(60);

    /// <summary>Returns once every entity answered a read; fails naming the entities that did not within <paramref name="patience"/>.</summary>
    public static async Task ReadAllAsync(NodeCluster cluster, HistoryChecker checker, int entities, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        await Task.WhenAll(Enumerable.Range(0, entities).Select(entity => ReadAsync(cluster, checker, entity.ToString(CultureInfo.InvariantCulture), deadline)));
    }

    private static async Task ReadAsync(NodeCluster cluster, HistoryChecker checker, string entity, DateTime deadline)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reachable = cluster.Reachable;
            var node = reachable[attempt % reachable.Count].Node;
            var begun = checker.Now();
            var answer = await node.AskAsync($"read {entity}", AskPatience);
            var words = answer.Split(' ');
            if (words is ["events", var read, ..] && read == entity)
            {
                checker.ReadAnswered(entity, begun, [.. words[2..].Select(Parse)]);
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"entity {entity} did not answer a read in time; last answer '{answer}'");
            }
        }
    }

    private static HistoryEvent Parse(string word)
    {
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        return new HistoryEvent(long.Parse(word.AsSpan(0, colon), CultureInfo.InvariantCulture), word[(colon + 1)..]);
    }
}
