using System.Diagnostics;
using System.Globalization;
using System.Text;
using WalActors.Tests.Support;

namespace WalActors.CrashTests.Support;

/// <summary>
/// A running <c>walactors append</c>: feeds it lines, collects the acknowledgements it prints, and kills it with
/// SIGKILL when told. Disposing it kills it if it still runs.
/// </summary>
internal sealed class AppendProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<(long Line, long Lsn)> _acknowledged = [];
    private readonly Task _readingOutput;
    private readonly Task<string> _readingError;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _acknowledgementArrived = new(0);

    private AppendProcess(Process process)
    {
        _process = process;
        _readingOutput = Task.Run(ReadAcknowledgementsAsync);
        _readingError = process.StandardError.ReadToEndAsync();
    }

    public static AppendProcess Start(string directory, string durability) =>
        new(Process.Start(WalactorsProcess.StartInfo(null, "append", "--dir", directory, "--durability", durability))!);

    /// <summary>Every acknowledgement printed so far, as (line number, LSN).</summary>
    public IReadOnlyList<(long Line, long Lsn)> Acknowledged
    {
        get
        {
            lock (_gate)
            {
                return _acknowledged.ToArray();
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="lines"/> in flushed chunks of random size with random pauses, so that whenever the process
    /// dies it is in the middle of something; then closes the input if asked. Stops quietly once the process is gone.
    /// </summary>
    public async Task FeedAsync(IReadOnlyList<string> lines, bool endInput, Random pace)
    {
        try
        {
            for (var next = 0; next < lines.Count;)
            {
                var count = Math.Min(lines.Count - next, pace.Next(1, 200));
                await _process.StandardInput.WriteAsync(string.Join('\n', lines.Skip(next).Take(count)) + "\n");
                await _process.StandardInput.FlushAsync();
                next += count;
                if (pace.Next(3) == 0)
                {
                    await Task.Delay(pace.Next(1, 15));
                }
            }

            if (endInput)
            {
                _process.StandardInput.Close();
            }
        }
        catch (IOException)
        {
            // Killed while we wrote: the pipe is broken, which is the point.
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> acknowledgements were printed or the process ended.</summary>
    public async Task WaitForAcknowledgementsAsync(int count, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (Acknowledged.Count < count && !_readingOutput.IsCompleted)
        {
            try
            {
                await _acknowledgementArrived.WaitAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"walactors append printed {Acknowledged.Count} of {count} acknowledgements in {patience}; its errors: {await ErrorSoFar()}");
            }
        }
    }

    /// <summary>Whether the process has ended (on its own, if it was not killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no handler runs, nothing is flushed, the lock dies with the process.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>Waits for the process to end and for everything it printed; returns its exit code and its standard error.</summary>
    public async Task<(int ExitCode, string Error)> WaitForExitAsync(TimeSpan patience)
    {
        await _process.WaitForExitAsync().WaitAsync(patience);
        await _readingOutput.WaitAsync(patience);
        return (_process.ExitCode, await _readingError.WaitAsync(patience));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task<string> ErrorSoFar() => _readingError.IsCompleted ? await _readingError : "(still running)";

    /// <summary>Reads "LINE LSN" lines; a last line cut off by the kill (no newline) was never fully printed and does not count.</summary>
    private async Task ReadAcknowledgementsAsync()
    {
        var reader = _process.StandardOutput;
        var pending = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            pending.Append(buffer, 0, read);
            var text = pending.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                continue;
            }

            var lines = text[..end].Split('\n');
            pending.Remove(0, end + 1);
            lock (_gate)
            {
                _acknowledged.AddRange(lines.Select(Parse));
            }

            _acknowledgementArrived.Release();
        }
    }

    private static (long Line, long Lsn) Parse(string line)
    {
        var fields = line.Split(' ');
        Assert.True(fields.Length == 2, $"walactors append printed '{line}', not 'LINE LSN'");
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
