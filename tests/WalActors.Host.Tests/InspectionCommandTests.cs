using WalActors.Tests.Support;
using System.Text.Json;

namespace WalActors.Host.Tests;

public sealed class InspectionCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Verify_reports_a_clean_log_with_exit_code_zero_and_the_same_facts_as_json()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 50).Select(i => $"record {i}"));

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);
        var (jsonExit, json, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath, "--json");

        Assert.Equal(0, exit);
        Assert.StartsWith("clean", stdout);
        Assert.Contains("50 valid records", stdout);
        Assert.Equal(0, jsonExit);
        var result = JsonDocument.Parse(json).RootElement;
        Assert.Equal("clean", result.GetProperty("status").GetString());
        Assert.Equal(50, result.GetProperty("records").GetInt64());
        Assert.Equal(lsns[^1].Value + TestLogs.FrameSize("record 49".Length) + TestLogs.CloseMarkerSize, result.GetProperty("end").GetInt64());
    }

    [Fact]
    public async Task Verify_exits_one_for_a_torn_tail_and_leaves_it_in_place()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 10).Select(i => $"record {i}"));
        var end = lsns[^1].Value + TestLogs.FrameSize("record 9".Length);
        TestLogs.ForgetCleanClose(LogPath, end);
        TestLogs.Scribble(LogPath, end, [(byte)'W', (byte)'A', 1, 1, 40, 0, 0, 0, 1, 2, 3]);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);
        var (again, _, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);

        Assert.Equal(1, exit);
        Assert.Contains($"torn tail at LSN {end}", stdout);
        Assert.Equal(1, again);
    }

    [Fact]
    public async Task Verify_exits_two_for_damage_and_names_its_lsn()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 2000).Select(i => $"record number {i:D5}"));
        TestLogs.Scribble(LogPath, lsns[3].Value + 20, [0xFF, 0xFF]);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath, "--json");

        Assert.Equal(2, exit);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("damaged", result.GetProperty("status").GetString());
        Assert.Equal(lsns[3].Value, result.GetProperty("problem_lsn").GetInt64());
    }

    [Fact]
    public async Task Inspect_lists_segments_and_positions()
    {
        await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 5000).Select(i => $"record number {i:D5}"));

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "inspect", "--dir", LogPath);

        Assert.Equal(0, exit);
        Assert.Contains("records    5000", stdout);
        Assert.Contains("00000000000000065536.seg", stdout);
        Assert.Contains("tail       clean", stdout);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("inspect")]
    [InlineData("tail")]
    public void A_missing_directory_is_one_clear_line_and_a_non_zero_exit_never_a_stack_trace(string command)
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", _directory.Combine("nowhere"));

        Assert.Equal(3, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("walactors: error:", stderr);
        Assert.Contains("is not a WalActors log", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_bad_lsn_is_one_clear_line_and_a_non_zero_exit()
    {
        await TestLogs.WriteAsync(LogPath, ["one", "two"]);

        var (exit, _, stderr) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", LogPath, "--from", "8");

        Assert.Equal(3, exit);
        Assert.Contains("LSN 8 is not the start of a record", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("tail")]
    public void Every_command_has_help_with_examples(string command)
    {
        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Example", stdout);
        Assert.Contains($"walactors {command}", stdout);
    }
}
