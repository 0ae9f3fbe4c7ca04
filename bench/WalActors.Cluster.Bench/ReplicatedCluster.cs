using Akka.Cluster;
using Akka.Configuration;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Three (or more) nodes of one cluster in this process, for the cluster journal's rows: the first hosts every entity
/// (the only one with a shard region) and the driver; the others only keep ledger copies (their replica hosts). The
/// region starts once every node is up, so each ledger opens with its full ensemble. Entities on one node, as in the
/// one-node rows, so the rows differ by the journal alone, not by where the driver's messages go. Sharding runs on the
/// role <c>host</c>, which only the first node has: its coordinator's state (ddata) then lives where sharding runs,
/// not on nodes that never start it.
/// </summary>
public sealed class ReplicatedCluster : IAsyncDisposable
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(60);
    private readonly List<BenchNode> _nodes;

    private ReplicatedCluster(List<BenchNode> nodes) => _nodes = nodes;

    /// <summary>The node that hosts the entities and runs the driver.</summary>
    public BenchNode Writer => _nodes[0];

    /// <summary>Starts <paramref name="nodes"/> nodes with the configuration <paramref name="configOf"/> gives each (by index), then the writer's region.</summary>
    public static async Task<ReplicatedCluster> StartAsync(int nodes, Func<int, Config> configOf)
    {
        var started = new List<BenchNode> { await BenchNode.JoinAsync(Role("[host]").WithFallback(configOf(0)), seed: null) };
        var cluster = new ReplicatedCluster(started);
        try
        {
            for (var i = 1; i < nodes; i++)
            {
                started.Add(await BenchNode.JoinAsync(Role("[]").WithFallback(configOf(i)), started[0].Address));
            }

            var deadline = DateTime.UtcNow + UpTimeout;
            while (AkkaCluster.Get(started[0].System).State.Members.Count(m => m.Status == MemberStatus.Up) < nodes)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the {nodes} nodes were not all up within {UpTimeout}");
                }

                await Task.Delay(50);
            }

            await started[0].StartRegionAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static Config Role(string roles) => ConfigurationFactory.ParseString($"""
        akka.cluster.roles = {roles}
        akka.cluster.sharding.role = host
        """);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }
    }
}
