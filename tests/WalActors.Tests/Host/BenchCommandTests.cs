using System.Diagnostics;
using System.Text.Json;

namespace WalActors.Tests.Host;

/// <summary>
/// A smoke test of <c>walactors bench --quick --json</c>, run as a child process exactly as a user would run it. It checks
/// the shape of the report, never the speed: timings belong to the benchmark, not to tests on a shared machine.
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly string[] Systems = ["fdatasync", "ideal-inline", "ideal", "walactors-actor", "walactors-client", "fasterlog"];

    [Fact]
    public async Task Quick_json_run_reports_every_system_in_every_scenario_with_its_figures()
    {
        var (exitCode, stdout, stderr) = await RunWalactorsAsync("bench", "--quick", "--json");

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr:\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToArray();
        var expected = from payload in new[] { 128, 4096 } from producers in new[] { 1, 8, 64 } from system in Systems select (system, producers, payload);
        var seen = results.Select(r => (r.GetProperty("system").GetString(), r.GetProperty("producers").GetInt32(), r.GetProperty("payload").GetInt32()));
        Assert.Equal(expected.OrderBy(x => x).ToArray(), seen.OrderBy(x => x).ToArray());
        foreach (var row in results)
        {
            foreach (var figure in new[] { "appends_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us", "syncs_per_s", "mean_batch" })
            {
                Assert.Equal(JsonValueKind.Number, row.GetProperty(figure).ValueKind);
            }
        }

        var recovery = report.RootElement.GetProperty("recovery").EnumerateArray().Select(r => r.GetProperty("system").GetString()!).ToArray();
        Assert.Equal(new[] { "walactors", "fasterlog" }, recovery);
        Assert.NotEmpty(report.RootElement.GetProperty("ratios").EnumerateArray());
        Assert.NotEmpty(report.RootElement.GetProperty("targets").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_system_is_refused_with_one_clear_line()
    {
        var (exitCode, _, stderr) = await RunWalactorsAsync("bench", "--quick", "--systems", "nosuch");

        Assert.Equal(3, exitCode);
        Assert.Contains("Unknown system 'nosuch'", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWalactorsAsync(params string[] args)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "WalActors.Host.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(host);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the walactors command.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
