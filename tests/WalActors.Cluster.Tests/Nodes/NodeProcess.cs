using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using WalActors.Tests.Support;

namespace WalActors.Cluster.Tests.Nodes;

/// <summary>
/// One running WalActors.ClusterNode process, driven over its stdin/stdout protocol: each command goes out with an id
/// of its own, and <see cref="AskAsync"/> returns the answer that carries it. A node that dies answers every command
/// still waiting, and every later one, with <c>fail - exited</c>, so no caller waits for an answer that cannot come.
/// Its stderr (Akka's log) is appended to a file. It cannot outlive the test host: the node exits when its stdin closes.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    /// <summary>The answer to every command a dead node was sent.</summary>
    public const string Exited = "fail - exited";

    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<string>> _waiting = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sending = new();
    private readonly Task _reading;
    private readonly Task _logging;
    private long _lastId;
    private int _disposed;
    private volatile bool _gone;

    private NodeProcess(Process process, int port, string logFile)
    {
        _process = process;
        Port = port;
        _reading = Task.Run(ReadAnswersAsync);
        _logging = Task.Run(() => CopyLogAsync(logFile));
    }

    /// <summary>The node's Akka.Remote port on 127.0.0.1.</summary>
    public int Port { get; }

    public bool HasExited => _gone;

    /// <summary>Stopped with SIGSTOP and not yet thawed: it holds its sockets and answers nothing.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>Blackholed from the other nodes (<see cref="BlackholeAsync"/>): it runs and answers, but reaches none of them.</summary>
    public bool IsCutOff { get; private set; }

    /// <summary>
    /// When the cluster downed the node (its <c>downed</c> line), the other members it saw unreachable itself then;
    /// null while it was not downed.
    /// </summary>
    public int? UnreachableWhenDowned { get; private set; }

    /// <summary>When another member refused the node as quarantined (its <c>quarantined</c> line), that member's address; else null.</summary>
    public string? QuarantinedBy { get; private set; }

    /// <summary>Starts <c>WalActors.ClusterNode ARGUMENTS</c> (built next to the tests), its log appended to <paramref name="logFile"/>.</summary>
    public static NodeProcess Start(int port, IEnumerable<string> arguments, string logFile)
    {
        var start = WalactorsProcess.ProgramStartInfo(Path.Combine(AppContext.BaseDirectory, "WalActors.ClusterNode.dll"), null, [.. arguments]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new NodeProcess(process, port, logFile);
    }

    /// <summary>Waits for the node's <c>ready</c> line (an Up member with its shard region); fails if it exits or takes longer than <paramref name="patience"/>.</summary>
    public Task WaitReadyAsync(TimeSpan patience) => _ready.Task.WaitAsync(patience);

    /// <summary>
    /// Sends <paramref name="command"/> and returns its answer without the id (<c>ack 3 7 v</c>, <c>fail 3 timeout</c>, …),
    /// or <see cref="Exited"/>. The node answers everything within its own ask timeout: no answer within
    /// <paramref name="patience"/> is a bug, a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<string> AskAsync(string command, TimeSpan patience)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = answer;
        try
        {
            lock (_sending)
            {
                _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id} {command}"));
                _process.StandardInput.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            answer.TrySetResult(Exited);
        }

        if (_gone)
        {
            answer.TrySetResult(Exited);
        }

        try
        {
            return await answer.Task.WaitAsync(patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"node {Port} did not answer '{command}' within {patience}");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>kill -9: no shutdown, no leaving the cluster; returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _reading;
    }

    /// <summary>
    /// Cuts the node off from the nodes on <paramref name="ports"/> (both directions, its etcd connection untouched);
    /// returns once its transport says nothing passes any more.
    /// </summary>
    public async Task BlackholeAsync(IReadOnlyList<int> ports, TimeSpan patience)
    {
        var list = string.Join(' ', ports.Select(port => port.ToString(CultureInfo.InvariantCulture)));
        var answer = await AskAsync($"blackhole {list}", patience);
        if (answer != $"blackholed {list}")
        {
            throw new InvalidOperationException($"node {Port} answered 'blackhole {list}' with '{answer}'");
        }

        IsCutOff = true;
    }

    /// <summary>SIGSTOP: the process stops where it is (a long GC pause, a frozen VM); commands wait in its input.</summary>
    public void Freeze()
    {
        Signal("-STOP");
        IsFrozen = true;
    }

    /// <summary>SIGCONT: it runs again, believing for a moment that it still holds whatever it held.</summary>
    public void Thaw()
    {
        Signal("-CONT");
        IsFrozen = false;
    }

    /// <summary>The process's exit code once it ended (3: the cluster downed it); null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits until the process ended on its own (a node the cluster downed exits); false if it is still running after <paramref name="patience"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _reading;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (IsFrozen)
        {
            Thaw();
        }

        await KillAsync();
        await _logging;
        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} of node {Port} failed with exit code {kill.ExitCode}");
        }
    }

    private async Task ReadAnswersAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                _ready.TrySetResult(line);
                continue;
            }

            if (line.StartsWith("downed ", StringComparison.Ordinal))
            {
                UnreachableWhenDowned = int.Parse(line.AsSpan("downed ".Length), CultureInfo.InvariantCulture);
                continue;
            }

            if (line.StartsWith("quarantined ", StringComparison.Ordinal))
            {
                QuarantinedBy = line["quarantined ".Length..];
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && long.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, out var id) && _waiting.TryGetValue(id, out var answer))
            {
                answer.TrySetResult(line[(space + 1)..]);
            }
        }

        _gone = true;
        _ready.TrySetException(new InvalidOperationException($"node {Port} exited before it was ready"));
        foreach (var answer in _waiting.Values)
        {
            answer.TrySetResult(Exited);
        }
    }

    private async Task CopyLogAsync(string logFile)
    {
        await using var log = new StreamWriter(logFile, append: true);
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            await log.WriteLineAsync(line);
        }
    }
}
