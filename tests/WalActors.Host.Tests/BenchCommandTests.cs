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
    private static readonly string[] OpenLoopModes = ["in-flight", "rate"];
    private static readonly string[] Bounds = ["bandwidth", "barriers"];

    private static readonly int[] Payloads = [128, 4096];
    private static readonly int[] ProducerCounts = [1, 8, 64];

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private static readonly string[] OwnSystems = ["fdatasync", "ideal-inline", "ideal", "walactors-actor", "walactors-client"];
    private static readonly string[] OpenLoopSystems = ["ideal-inline", "ideal", "walactors-actor", "walactors-client"];
    private static readonly string[] RowFigures =
    [
        "appends_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us", "syncs_per_s", "mean_batch", "cpu_us_per_append",
        "storage_read_bytes", "rusage_read_bytes", "storage_read_bytes_per_mb", "rusage_read_bytes_per_mb", "major_faults",
    ];

    private static readonly string[] OpenLoopFigures = ["cpu_bound_per_s", "bound_per_s", "bandwidth_bound_per_s", "barrier_bound_per_s", "of_bound"];

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
            foreach (var figure in RowFigures)
            {
                Assert.True(row.GetProperty(figure).ValueKind == JsonValueKind.Number, $"{figure} in {row}");
            }
        }

        // Quick runs one row of each open-loop mode (1,000 in flight; 10,000/s offered) for every system that can take it.
        Assert.Equal(JsonValueKind.Number, report.RootElement.GetProperty("barriers_per_s").ValueKind);
        var open = report.RootElement.GetProperty("open_loop").EnumerateArray().ToArray();
        var expectedOpen = from mode in OpenLoopModes from system in OpenLoopSystems select (mode, system);
        Assert.Equal(expectedOpen.Order().ToArray(), open.Select(r => (r.GetProperty("mode").GetString(), r.GetProperty("system").GetString())).Order().ToArray());
        foreach (var row in open)
        {
            foreach (var figure in RowFigures.Concat(OpenLoopFigures))
            {
                Assert.True(row.GetProperty(figure).ValueKind == JsonValueKind.Number, $"{figure} in {row}");
            }

            var rate = row.GetProperty("mode").GetString() == "rate";
            Assert.Equal(rate ? 10_000 : 1_000, rate ? row.GetProperty("offered_per_s").GetDouble() : row.GetProperty("producers").GetInt32());
            Assert.Equal(0, row.GetProperty("failed").GetInt32());
            Assert.Contains(row.GetProperty("bound_by").GetString(), Bounds);
        }

        var targets = report.RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("target").GetString()!).ToArray();
        Assert.Contains(targets, t => t.Contains("storage reads <= 1% of bytes appended", StringComparison.Ordinal));

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
        Assert.Contains("read B/MB", stdout, StringComparison.Ordinal);
        Assert.Matches(@"in-flight +1,000 +- +walactors-client", stdout);
        Assert.Matches(@"rate +[\d,]+ +10,000 +walactors-client", stdout);
    }

    [Fact]
    public async Task Open_loop_modes_can_be_turned_off_and_chosen()
    {
        var (exitCode, stdout, stderr) = await WalactorsProcess.RunAsync(Patience, "bench", "--quick", "--json", "--producers", "1", "--payloads", "128",
            "--systems", "ideal", "--recovery-size", "1MiB", "--open-producers", "none", "--rate", "5000,20000");

        Assert.True(exitCode == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var open = report.RootElement.GetProperty("open_loop").EnumerateArray().ToArray();
        Assert.Equal([5_000.0, 20_000.0], open.Select(r => r.GetProperty("offered_per_s").GetDouble()));
        Assert.All(open, r => Assert.Equal("rate", r.GetProperty("mode").GetString()));
    }

    [Fact]
    public async Task The_peer_comparison_runs_fasterlog_and_the_warmed_what_if_beside_walactors_with_its_ratios_and_recovery()
    {
        var peerBench = Path.Combine(AppContext.BaseDirectory, "WalActors.Benchmarks.dll");
        var start = WalactorsProcess.ProgramStartInfo(peerBench, null, "--quick", "--json", "--producers", "8", "--payloads", "4096", "--systems", "ideal,walactors-client,fasterlog,walactors-warmed");

        var (exitCode, stdout, stderr) = await WalactorsProcess.RunAsync(start, Patience);

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr:\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(["fasterlog", "ideal", "walactors-client", "walactors-warmed"], report.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("system").GetString()).Order());
        var warmed = report.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("system").GetString() == "walactors-warmed");
        Assert.Equal(JsonValueKind.Number, warmed.GetProperty("write_path_read_bytes_per_mb").ValueKind);
        Assert.Equal(JsonValueKind.Number, warmed.GetProperty("background_read_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Number, report.RootElement.GetProperty("ratios")[0].GetProperty("vs_fasterlog").ValueKind);
        Assert.Equal(["walactors", "fasterlog"], report.RootElement.GetProperty("recovery").EnumerateArray().Select(r => r.GetProperty("system").GetString()));
        var open = report.RootElement.GetProperty("open_loop").EnumerateArray().Where(r => r.GetProperty("system").GetString() == "fasterlog").ToArray();
        Assert.Equal(["in-flight", "rate"], open.Select(r => r.GetProperty("mode").GetString()).Order());
        Assert.DoesNotContain(report.RootElement.GetProperty("ratios").EnumerateArray(), r => r.GetProperty("system").GetString() == "walactors-warmed");
        Assert.Contains(report.RootElement.GetProperty("targets").EnumerateArray(), t => t.GetProperty("target").GetString()!.Contains("fasterlog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_write_path_experiments_report_every_row_with_its_storage_reads_or_why_it_was_skipped()
    {
        var experiments = Path.Combine(AppContext.BaseDirectory, "WalActors.Benchmarks.dll");
        var start = WalactorsProcess.ProgramStartInfo(experiments, null, "experiments", "--quick", "--json", "--sizes", "144");

        var (exitCode, stdout, stderr) = await WalactorsProcess.RunAsync(start, Patience);

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr:\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        var rows = report.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["preparation", "write-path"], rows.Select(r => r.GetProperty("group").GetString()).Distinct().Order());
        Assert.Contains(rows, r => r.GetProperty("file").GetString() == "recycled-evicted");
        foreach (var row in rows.Where(r => !r.TryGetProperty("skipped", out _)))
        {
            foreach (var figure in new[] { "appends_per_s", "p50_us", "p99_us", "storage_read_bytes_per_mb", "prepare_s", "prepare_read_bytes" })
            {
                Assert.True(row.GetProperty(figure).ValueKind == JsonValueKind.Number, $"{figure} in {row}");
            }
        }

        // A row the machine cannot run (io_uring disabled, O_DIRECT on tmpfs) says why; the plain buffered rows always run.
        Assert.All(rows.Where(r => r.TryGetProperty("skipped", out _)), r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("skipped").GetString())));
        Assert.Contains(rows, r => r.GetProperty("method").GetString() == "pwrite + fdatasync" && !r.TryGetProperty("skipped", out _));
        Assert.False(string.IsNullOrEmpty(report.RootElement.GetProperty("io_uring").GetString()));
    }
}
