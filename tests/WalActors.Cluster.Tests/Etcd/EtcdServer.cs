using System.Diagnostics;
using WalActors.Cluster.Tests.Nodes;

namespace WalActors.Cluster.Tests.Etcd;

/// <summary>
/// A single-member etcd on 127.0.0.1 with ports of its own and a temp data directory (<see cref="EtcdDirectory"/>), for
/// one test class. It can be
/// stopped (SIGKILL), restarted on the same data and ports, frozen (SIGSTOP: accepts connections, answers nothing)
/// and thawed. It never outlives the test host: etcd runs under a small bash watchdog whose stdin is a pipe from this
/// process, and the watchdog kills etcd as soon as that pipe closes, which the kernel does when the test host exits
/// in any way, a crash or a SIGKILL included.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    // Started with the etcd command line as its arguments: prints etcd's pid, then waits for its stdin to close.
    // Its own stderr goes to the log too, so bash's "Killed" notice stays out of the test output.
    private const string Watchdog = """
        exec 2>>"$ETCD_LOG"
        "$@" >>"$ETCD_LOG" 2>&1 &
        echo $!
        read -r _ || true
        kill -9 $! 2>/dev/null
        wait
        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly EtcdDirectory _directory = new();
    private readonly string _binary;
    private Process? _watchdog;
    private int _etcdPid;

    private EtcdServer(string binary, int clientPort, int peerPort)
    {
        _binary = binary;
        ClientPort = clientPort;
        PeerPort = peerPort;
    }

    /// <summary>The port etcd serves clients on.</summary>
    public int ClientPort { get; }

    private int PeerPort { get; }

    /// <summary>The client URL, as <c>walactors.cluster.lease.endpoints</c> takes it.</summary>
    public string Endpoint => $"http://127.0.0.1:{ClientPort}";

    private string LogPath => _directory.Combine("etcd.log");

    /// <summary>Starts etcd and returns once it answers its health check; fails naming what went wrong.</summary>
    public static async Task<EtcdServer> StartAsync()
    {
        var binary = FindEtcd();
        for (var attempt = 1; ; attempt++)
        {
            var server = new EtcdServer(binary, LoopbackPorts.Free(), LoopbackPorts.Free());
            try
            {
                await server.RunAsync();
                return server;
            }
            catch (EtcdStartException) when (attempt < 3)
            {
                // Most likely another process took a port between choosing it and etcd binding it: new ports.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Kills etcd (SIGKILL) and returns once it is gone; its data stays for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_watchdog is not { } watchdog)
        {
            return;
        }

        _watchdog = null;
        watchdog.StandardInput.Close();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await watchdog.WaitForExitAsync(exited.Token);
        }
        catch (OperationCanceledException)
        {
            watchdog.Kill(entireProcessTree: true);
            await watchdog.WaitForExitAsync();
        }

        watchdog.Dispose();
    }

    /// <summary>Starts etcd again on the same data directory and ports, and waits until it answers.</summary>
    public Task RestartAsync() => _watchdog is null ? RunAsync() : throw new InvalidOperationException("etcd is running");

    /// <summary>After a test that may have stopped etcd: running again for the next test of the class.</summary>
    public Task EnsureRunningAsync() => _watchdog is null ? RunAsync() : Task.CompletedTask;

    /// <summary>Stops etcd with SIGSTOP: its sockets stay open and accept connections, but nothing is answered.</summary>
    public void Freeze() => Signal("-STOP");

    /// <summary>Resumes a frozen etcd (SIGCONT).</summary>
    public void Thaw() => Signal("-CONT");

    /// <summary>Kills etcd and deletes its data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }

    private async Task RunAsync()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            Environment = { ["ETCD_LOG"] = LogPath },
        };
        foreach (var argument in (string[])["-c", Watchdog, "etcd-watchdog", _binary, .. EtcdArguments()])
        {
            start.ArgumentList.Add(argument);
        }

        _watchdog = Process.Start(start) ?? throw new EtcdStartException("bash did not start");
        var pid = await _watchdog.StandardOutput.ReadLineAsync();
        _etcdPid = int.TryParse(pid, out var parsed) ? parsed : throw new EtcdStartException($"the watchdog printed '{pid}', not etcd's pid");
        await WaitUntilHealthyAsync();
    }

    private IEnumerable<string> EtcdArguments()
    {
        var client = $"http://127.0.0.1:{ClientPort}";
        var peer = $"http://127.0.0.1:{PeerPort}";
        return
        [
            "--name", "test", "--data-dir", _directory.Combine("data"),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"test={peer}", "--initial-cluster-state", "new",
            "--logger", "zap", "--log-outputs", "stderr",
        ];
    }

    /// <summary>Polls etcd's /health until it says true, etcd exits, or <see cref="StartTimeout"/> passes.</summary>
    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (!IsRunning(_etcdPid))
            {
                throw new EtcdStartException($"etcd exited while starting; its log:\n{ReadLog()}");
            }

            try
            {
                var health = await http.GetStringAsync(new Uri($"{Endpoint}/health"));
                if (health.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, not answering yet.
            }

            await Task.Delay(50);
        }

        throw new EtcdStartException($"etcd did not become healthy within {StartTimeout}; its log:\n{ReadLog()}");
    }

    private static bool IsRunning(int pid)
    {
        // A zombie (exited, not yet reaped by the watchdog) is not running either.
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _etcdPid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {_etcdPid} failed with exit code {kill.ExitCode}");
        }
    }

    private string ReadLog() => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(30)) : "(no log)";

    /// <summary>etcd from WALACTORS_ETCD or PATH; a clear failure (never a silent pass) when it is not installed.</summary>
    private static string FindEtcd()
    {
        var configured = Environment.GetEnvironmentVariable("WALACTORS_ETCD");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"WALACTORS_ETCD names {configured}, which does not exist");
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "etcd"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            "etcd was not found on PATH, and the cluster tests need a real one. Install it with " +
            "`apt-get update && apt-get install -y etcd-server` (.ci/run does this), or set WALACTORS_ETCD to its path.");
    }

    private sealed class EtcdStartException(string message) : Exception(message);
}
