using System.Text.Json;
using WalActors.Tests.Support;

namespace WalActors.Host.Tests;

/// <summary>
/// Smoke tests of <c>walactors bench</c> and of the peer comparison, run as child processes exactly as a user would run
/// them. They check the shape of the report, never the speed: timings belong to the benchmark, not to tests on a
/// shared machine.
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly int[] Payloads = [128, 4096];
    private static readonly int[] ProducerCounts = [1, 8, 64];

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private static readonly string[] OwnSystems = ["fdatasync", "ideal-inline", "ideal", "walactors-actor", "walactors-client"];

    [Fact]
    public async Task Quick_json_run_reports_the_disk_baselines_and_walactors_in_every_scenario_and_no_peer()
    {
        var (exitCode, stdout, stderr) = await WalactorsProcess.RunAsync(Patience, "bench", "--quick", "--json");

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr:\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToArray();
        var expected = from payload in Payloads from producers in ProducerCounts from system in OwnSystems select (system, producers, payload);
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
        Assert.Equal(["walactors"], recovery);
        var ratios = report.RootElement.GetProperty("ratios").EnumerateArray().ToArray();
        Assert.NotEmpty(ratios);
        Assert.All(ratios, r => Assert.Equal(["system", "producers", "payload", "vs_ideal"], r.EnumerateObject().Select(p => p.Name)));
        Assert.NotEmpty(report.RootElement.GetProperty("targets").EnumerateArray());
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public async Task The_table_shows_microseconds_and_thousands_separators()
    {
        var (exitCode, stdout, stderr) = await WalactorsProcess.RunAsync(Patience, "bench", "--quick", "--producers", "1", "--payloads", "128", "--systems", "fdatasync,walactors-client", "--recovery-size", "1MiB");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("p50 µs", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" us", stdout, StringComparison.Ordinal);
        Assert.Matches(@"recovery of [\d,]+ records", stdout);
    }

    [Fact]
    public async Task The_peer_comparison_runs_fasterlog_beside_walactors_with_its_ratios_and_recovery()
    {
        var peerBench = Path.Combine(AppContext.BaseDirectory, "WalActors.Benchmarks.dll");
        var start = WalactorsProcess.ProgramStartInfo(peerBench, null, "--quick", "--json", "--producers", "8", "--payloads", "128", "--systems", "ideal,walactors-client,fasterlog");

        var (exitCode, stdout, stderr) = await WalactorsProcess.RunAsync(start, Patience);

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr:\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(["fasterlog", "ideal", "walactors-client"], report.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("system").GetString()).Order());
        Assert.Equal(JsonValueKind.Number, report.RootElement.GetProperty("ratios")[0].GetProperty("vs_fasterlog").ValueKind);
        Assert.Equal(["walactors", "fasterlog"], report.RootElement.GetProperty("recovery").EnumerateArray().Select(r => r.GetProperty("system").GetString()));
        Assert.Contains(report.RootElement.GetProperty("targets").EnumerateArray(), t => t.GetProperty("target").GetString()!.Contains("fasterlog", StringComparison.Ordinal));
    }
}
