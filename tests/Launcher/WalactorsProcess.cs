using System.Diagnostics;
using System.Text;

namespace WalActors.Tests.Support;

/// <summary>
/// Runs the built walactors command (WalActors.Host.dll, copied next to the tests by their reference to it) as a child
/// process, the way a user or a script would. Every test project that runs the command links this one file.
/// </summary>
public sealed class WalactorsProcess : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _lines = new(0);

    private WalactorsProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stdout)
            {
                _stdout.Append(e.Data).Append('\n');
            }

            _lines.Release();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Append(e.Data).Append('\n');
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The built WalActors.Host.dll next to the tests.</summary>
    public static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "WalActors.Host.dll");

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>A start description for <c>walactors ARGS</c> with every stream redirected (UTF-8, no byte-order mark).</summary>
    public static ProcessStartInfo StartInfo(string? workingDirectory, params string[] arguments) => ProgramStartInfo(HostAssembly, workingDirectory, arguments);

    /// <summary>The same for another command-line program built next to the tests (the peer benchmark).</summary>
    public static ProcessStartInfo ProgramStartInfo(string assembly, string? workingDirectory, params string[] arguments)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{Path.GetFileName(assembly)} was not built next to the tests ({assembly}); the test project must reference its project.");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Starts <c>walactors ARGS</c>, collecting what it prints; its input stays open until disposed.</summary>
    public static WalactorsProcess Start(string workingDirectory, params string[] args) =>
        new(Process.Start(StartInfo(workingDirectory, args)) ?? throw new InvalidOperationException("dotnet did not start"));

    /// <summary>Runs <c>walactors ARGS</c> to completion with no input; returns the exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        process._process.StandardInput.Close();
        var exit = process.WaitForExit(TimeSpan.FromMinutes(2));
        return (exit, process.Stdout, process.Stderr);
    }

    /// <summary>Runs a program to the end with exactly <paramref name="input"/> on stdin; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(ProcessStartInfo start, TimeSpan patience, byte[]? input = null)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(input);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It stopped reading: what it did is in its exit code and output.
            }

            await process.WaitForExitAsync().WaitAsync(patience);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Runs <c>walactors ARGS</c> to the end with no input.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan patience, params string[] arguments) =>
        RunAsync(StartInfo(null, arguments), patience);

    /// <summary>Writes <paramref name="text"/> to the running command's input.</summary>
    public void Input(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"walactors did not exit within {timeout}. stderr: {Stderr}");
        }

        _process.WaitForExit(); // flushes the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until stdout contains <paramref name="text"/>; fails after <paramref name="timeout"/>.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !Stdout.Contains(text, StringComparison.Ordinal) && !_lines.Wait(0))
            {
                throw new TimeoutException($"'{text}' never appeared. stdout: {Stdout} stderr: {Stderr}");
            }

            _lines.Wait(left);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    // The dotnet CLI tells the processes it starts where it lives; outside it, the test host itself may be dotnet.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";
}
