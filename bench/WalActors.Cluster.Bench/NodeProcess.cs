using System.Diagnostics;

namespace WalActors.Cluster.Bench;

/// <summary>
/// A cluster node in a child process (this benchmark's own executable, <c>node</c> mode: <see cref="NodeMain"/>), so
/// that it can be killed with SIGKILL. Its stdin is a pipe from this process: the child stops when the pipe closes,
/// so none outlives the benchmark.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;

    private NodeProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The node's cluster address, as <c>akka.tcp://system@127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Starts a node that hosts entities with <paramref name="journal"/> and joins <paramref name="seed"/>; returns once it is up.</summary>
    public static async Task<NodeProcess> StartAsync(string journal, string seed, string setting, string? etcdEndpoint)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "WalActors.Cluster.Bench.dll"), "node", journal, seed, setting, etcdEndpoint ?? "-"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the node");
        using var timeout = new CancellationTokenSource(UpTimeout);
        string? line;
        try
        {
            // Akka writes its warnings to stdout too: they are passed on until the node says it is up.
            while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("up ", StringComparison.Ordinal))
            {
                Console.WriteLine($"    [node] {line}");
            }
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        if (line is null || !line.StartsWith("up ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InvalidOperationException($"a {journal} node did not come up within {UpTimeout} (it said '{line}'; its errors are above)");
        }

        return new NodeProcess(process, line["up ".Length..]);
    }

    /// <summary>SIGKILL: the node stops at once, with no leave, handoff or flush.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the node to stop (stdin closed) and waits; kills it if it has not stopped in 60 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}
