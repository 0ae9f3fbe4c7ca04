using System.Diagnostics;

namespace WalActors.CrashTests.Support;

/// <summary>Kills a child process with SIGKILL once it has reported progress a given number of times.</summary>
public static class ChildKill
{
    /// <summary>Starts the child, waits for <paramref name="reports"/> lines on its output, kills it; returns its last line.</summary>
    public static async Task<string> AfterReportsAsync(ProcessStartInfo start, int reports, TimeSpan patience)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var last = "no report";
            using var timeout = new CancellationTokenSource(patience);
            for (var seen = 0; seen < reports; seen++)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Xunit.Assert.Fail($"the child ended before it was killed: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
                }

                last = line;
            }

            process.Kill(entireProcessTree: true); // SIGKILL on Linux: no shutdown, no close marker, no last checkpoint
            await process.WaitForExitAsync(timeout.Token);
            return last;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
