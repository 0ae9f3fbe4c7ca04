using System.Net;
using System.Net.Sockets;

namespace WalActors.Cluster.Tests.Etcd;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of etcd for one node, so a test can cut that node alone off from etcd while the
/// others keep theirs. While <see cref="Cut"/>, it forwards nothing either way and new connections are held open
/// without an answer: to the node's client this is a partition (no error, no reply), not a refused connection.
/// <see cref="Heal"/> resets every connection held through the cut (their streams lost bytes, as a partition's would
/// have timed out) and forwards again; the client reconnects.
/// </summary>
public sealed class EtcdProxy : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _connections = [];
    private readonly Task _accepting;
    private TaskCompletionSource _open = Opened();

    public EtcdProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The URL a node is given instead of etcd's own.</summary>
    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Whether the proxy is cutting the node off now.</summary>
    public bool IsCut
    {
        get
        {
            lock (_gate)
            {
                return !_open.Task.IsCompleted;
            }
        }
    }

    /// <summary>Stops forwarding: bytes already in flight stay where they are, nothing more gets through.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Resets every connection that lived through the cut and forwards again.</summary>
    public void Heal()
    {
        List<(TcpClient Client, TcpClient Upstream)> stale;
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                return;
            }

            stale = [.. _connections];
            _connections.Clear();
            _open.SetResult();
        }

        foreach (var (client, upstream) in stale)
        {
            Reset(client);
            Reset(upstream);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _listener.Stop();
        Heal();
        lock (_gate)
        {
            foreach (var (client, upstream) in _connections)
            {
                Reset(client);
                Reset(upstream);
            }

            _connections.Clear();
        }

        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _closing.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_closing.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        lock (_gate)
        {
            _connections.Add((client, upstream));
        }

        try
        {
            // A connection that arrives during a cut waits, unanswered, for the heal (which resets it).
            await Gate().WaitAsync(_closing.Token);
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _closing.Token);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The other side went away, or the heal reset it: the connection ends here.
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove((client, upstream));
            }

            Reset(client);
            Reset(upstream);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[BufferSize];
        var source = from.GetStream();
        var target = to.GetStream();
        while (true)
        {
            var read = await source.ReadAsync(buffer, _closing.Token);
            if (read == 0)
            {
                return;
            }

            // Read before the gate: what arrives during a cut is held here, not delivered, until the heal resets it.
            await Gate().WaitAsync(_closing.Token);
            await target.WriteAsync(buffer.AsMemory(0, read), _closing.Token);
        }
    }

    private Task Gate()
    {
        lock (_gate)
        {
            return _open.Task;
        }
    }

    private static void Reset(TcpClient connection)
    {
        try
        {
            // Linger 0: the peer sees a reset at once, as after a partition its connection would have timed out.
            connection.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        connection.Dispose();
    }
}
