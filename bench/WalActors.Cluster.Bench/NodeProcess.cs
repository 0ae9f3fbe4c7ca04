namespace WalActors.Cluster.Bench;

/// <summary>
/// A cluster node in a child process (this benchmark's own executable, <c>node</c> mode: <see cref="NodeMain"/>), so
/// that it can be killed with SIGKILL; it stops when its stdin closes (<see cref="PipedChild"/>).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(2);
    private readonly PipedChild _child;

    private NodeProcess(PipedChild child) => _child = child;

    /// <summary>The node's cluster address, as <c>akka.tcp://system@127.0.0.1:port</c>.</summary>
    public string Address => _child.ReadyLine["up ".Length..];

    /// <summary>Starts a node that hosts entities with <paramref name="journal"/> and joins <paramref name="seed"/>; returns once it is up.</summary>
    public static async Task<NodeProcess> StartAsync(string journal, string seed, string setting, string? etcdEndpoint)
    {
        // Akka writes its warnings to stdout too: they are passed on until the node says it is up.
        var child = await PipedChild.StartAsync(
            $"{journal} node", "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "WalActors.Cluster.Bench.dll"), "node", journal, seed, setting, etcdEndpoint ?? "-"],
            line => line.StartsWith("up ", StringComparison.Ordinal), UpTimeout);
        return new NodeProcess(child);
    }

    /// <summary>SIGKILL: the node stops at once, with no leave, handoff or flush.</summary>
    public Task KillAsync() => _child.KillAsync();

    /// <summary>Asks the node to stop (stdin closed) and waits.</summary>
    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
