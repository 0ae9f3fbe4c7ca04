using System.Diagnostics;

namespace WalActors.Cluster.Bench;

/// <summary>
/// A child process whose stdin is a pipe from this process and which runs until that pipe closes: disposing closes it,
/// and the kernel closes it when this process dies in any way, so no child outlives the benchmark. It is ready once it
/// prints a line that <c>isReady</c> accepts; the lines before are passed on to the console, and so are the lines
/// after, read to its end: a child whose output is left unread blocks in its next write once the pipe's 64 KiB are full
/// (a failover's survivor did, with Akka's logger stuck on the errors of the kill, and no entity ever answered again).
/// </summary>
public sealed class PipedChild : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Task _passingOn;

    private PipedChild(Process process, string readyLine, string what)
    {
        _process = process;
        ReadyLine = readyLine;
        _passingOn = PassOnAsync(process.StandardOutput, what);
    }

    /// <summary>The line the child said it was ready with.</summary>
    public string ReadyLine { get; }

    /// <summary>Starts <paramref name="file"/> and returns once it is ready; fails naming <paramref name="what"/> if it is not within <paramref name="timeout"/>.</summary>
    public static async Task<PipedChild> StartAsync(string what, string file, IEnumerable<string> arguments, Func<string, bool> isReady, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{what} did not start");
        using var timer = new CancellationTokenSource(timeout);
        string? line;
        try
        {
            while ((line = await process.StandardOutput.ReadLineAsync(timer.Token)) is not null && !isReady(line))
            {
                PassOn(what, line);
            }
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        if (line is null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InvalidOperationException($"{what} was not ready within {timeout} (its errors are above)");
        }

        return new PipedChild(process, line, what);
    }

    /// <summary>SIGKILL: the child stops at once, with no clean-up of any kind.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await _passingOn;
    }

    /// <summary>Closes the child's stdin and waits for it to stop; kills it if it has not within 90 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var stopped = new CancellationTokenSource(StopTimeout);
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

        await _passingOn;
        _process.Dispose();
    }

    private static async Task PassOnAsync(StreamReader output, string what)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            PassOn(what, line);
        }
    }

    private static void PassOn(string what, string line) => Console.WriteLine($"    [{what}] {line}");
}
