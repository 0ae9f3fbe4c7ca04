using System.Text.Json;
using WalActors.Tests.Support;

namespace WalActors.Host.Tests;

public sealed class InspectAndVerifyCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Verify_reports_a_clean_log_with_exit_code_zero_and_the_same_facts_as_json()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 1500).Select(i => $"record {i}"));

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);
        var (jsonExit, json, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath, "--json");

        Assert.Equal(0, exit);
        Assert.StartsWith("clean", stdout, StringComparison.Ordinal);
        Assert.Contains("1,500 valid records", stdout, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        var result = JsonDocument.Parse(json).RootElement;
        Assert.Equal("clean", result.GetProperty("status").GetString());
        Assert.Equal(1500, result.GetProperty("records").GetInt64());
        Assert.Equal(lsns[^1].Value + TestLogs.FrameSize("record 1499".Length) + TestLogs.CloseMarkerSize, result.GetProperty("end").GetInt64());
    }

    [Fact]
    public async Task Verify_leaves_a_torn_tail_in_place()
    {
        var end = await TestLogs.WriteTornAsync(LogPath);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);
        var (again, _, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);

        Assert.Equal(1, exit);
        Assert.Contains($"torn tail at LSN {end}", stdout, StringComparison.Ordinal);
        Assert.Equal(1, again);
    }

    [Fact]
    public async Task Verify_json_names_the_lsn_of_damage()
    {
        var damaged = await TestLogs.WriteDamagedAsync(LogPath);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath, "--json");

        Assert.Equal(3, exit);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("damaged", result.GetProperty("status").GetString());
        Assert.Equal(damaged, result.GetProperty("problem_lsn").GetInt64());
    }

    [Fact]
    public async Task Inspect_lists_segments_and_positions_with_thousands_separators_in_counts_and_none_in_lsns()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 5000).Select(i => $"record number {i:D5}"));

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "inspect", "--dir", LogPath);

        Assert.Equal(0, exit);
        Assert.Contains("records    5,000", stdout, StringComparison.Ordinal);
        Assert.Contains("x 65,536 bytes", stdout, StringComparison.Ordinal);
        Assert.Contains($"end        LSN {lsns[^1].Value + TestLogs.FrameSize(19) + TestLogs.CloseMarkerSize}", stdout, StringComparison.Ordinal);
        Assert.Contains("00000000000000065536.seg  LSN 65536..131072", stdout, StringComparison.Ordinal);
        Assert.Contains("tail       clean", stdout, StringComparison.Ordinal);
    }
}
