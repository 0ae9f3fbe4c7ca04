using System.Diagnostics;
using System.Text;

namespace WalActors.CrashTests.Support;

/// <summary>Runs the built <c>walactors</c> command (WalActors.Host.dll, copied next to the tests) as a child process.</summary>
internal static class Walactors
{
    private static readonly string HostDll = Path.Combine(AppContext.BaseDirectory, "WalActors.Host.dll");

    /// <summary>A start description for <c>walactors ARGS</c> with every stream redirected (UTF-8, no byte-order mark).</summary>
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        if (!File.Exists(HostDll))
        {
            throw new FileNotFoundException($"The walactors command was not built next to the tests ({HostDll}); the test project references it.");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs <c>walactors ARGS</c> to the end with no input; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan patience, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        try
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(patience);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    // The dotnet CLI tells the processes it starts where it lives; outside it, the test host itself may be dotnet.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";
}
