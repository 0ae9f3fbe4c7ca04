using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WalActors.Cluster.Bench;

/// <summary>
/// A throwaway PostgreSQL on 127.0.0.1, run by <c>bench/cluster/setup-postgres.sh serve</c> (which installs Debian's
/// <c>postgresql</c> when it is missing). The script keeps the server up while its stdin is open; this process holds the
/// other end of that pipe, so the server stops (and its data directory goes) when this is disposed or when the
/// benchmark dies in any way.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // An install by apt-get can take minutes on a loaded machine; a start after that takes seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private readonly Process _script;

    private PostgresServer(Process script, int port)
    {
        _script = script;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>What Akka.Persistence.Sql's <c>connection-string</c> takes: the superuser, trusted on loopback.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Maximum Pool Size=100";

    /// <summary>Starts the server with its data under <paramref name="directory"/> and returns once it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync(string directory)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "setup-postgres.sh"), "serve", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var script = Process.Start(start) ?? throw new InvalidOperationException("bash did not start setup-postgres.sh");
        var server = new PostgresServer(script, port);
        using var timeout = new CancellationTokenSource(StartTimeout);
        string? line;
        try
        {
            line = await script.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        if (line != "ready")
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"PostgreSQL did not start within {StartTimeout} (setup-postgres.sh said '{line}'; its errors are above)");
        }

        return server;
    }

    /// <summary>Closes the script's stdin, which stops the server and deletes its data, and waits for that.</summary>
    public async ValueTask DisposeAsync()
    {
        _script.StandardInput.Close();
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await _script.WaitForExitAsync(stopped.Token);
        }
        catch (OperationCanceledException)
        {
            _script.Kill(entireProcessTree: true);
            await _script.WaitForExitAsync();
        }

        _script.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
