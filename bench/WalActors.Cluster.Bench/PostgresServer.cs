using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WalActors.Cluster.Bench;

/// <summary>
/// A throwaway PostgreSQL on 127.0.0.1, run by <c>bench/cluster/setup-postgres.sh serve</c> (which installs Debian's
/// <c>postgresql</c> when it is missing). The script keeps the server up while its stdin is open (<see cref="PipedChild"/>),
/// so the server stops, and its data directory goes, when this is disposed or when the benchmark dies in any way.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // An install by apt-get can take minutes on a loaded machine; a start after that takes seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private readonly PipedChild _script;

    private PostgresServer(PipedChild script, int port)
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
        var script = await PipedChild.StartAsync(
            "setup-postgres.sh", "bash",
            [Path.Combine(AppContext.BaseDirectory, "setup-postgres.sh"), "serve", directory, port.ToString(CultureInfo.InvariantCulture)],
            line => line == "ready", StartTimeout);
        return new PostgresServer(script, port);
    }

    /// <summary>Closes the script's stdin, which stops the server and deletes its data, and waits for that.</summary>
    public ValueTask DisposeAsync() => _script.DisposeAsync();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
