using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

/// <summary>One exit-code table for every command: 0 ok, 1 torn tail, 2 usage, 3 damage, 4 not a log / unreadable / in use.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> ReadingCommands => ["inspect", "verify", "dump", "tail"];

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task A_clean_log_exits_0(string command)
    {
        await TestLogs.WriteAsync(LogPath, ["one", "two"]);

        var (exit, _, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath);

        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr);
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task A_torn_tail_exits_1(string command)
    {
        var end = await TestLogs.WriteTornAsync(LogPath);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath);

        Assert.Equal(1, exit);
        Assert.Contains($"torn tail", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains($"LSN {end}", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task Damage_exits_3_and_names_its_lsn(string command)
    {
        var damaged = await TestLogs.WriteDamagedAsync(LogPath);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath);

        Assert.Equal(3, exit);
        Assert.Contains($"DAMAGE at LSN {damaged}", (stdout + stderr).Replace("DAMAGE     at", "DAMAGE at", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task A_missing_middle_segment_is_damage_too_exit_3(string command)
    {
        await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 5000).Select(i => $"record number {i:D5}"));
        File.Delete(TestLogs.SegmentFile(LogPath, 64 * 1024));

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath);

        Assert.True(exit == 3, $"exit {exit}: {stdout}{stderr}");
        AssertNoStackTrace(stdout + stderr);
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public void A_missing_directory_is_not_a_log_exit_4_in_one_line(string command)
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", _directory.Combine("nowhere"));

        Assert.Equal(4, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneErrorLine(stdout, stderr, "is not a WalActors log: there is no such directory");
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    [InlineData("append")]
    [InlineData("demo")]
    public void A_regular_file_as_the_directory_is_a_file_not_missing_exit_4(string command)
    {
        var file = _directory.Combine("a-file");
        File.WriteAllText(file, "not a log");

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, Args(command, file));

        Assert.Equal(4, exit);
        AssertOneErrorLine(stdout, stderr, "is not a WalActors log: it is a file, not a directory");
        Assert.Equal("not a log", File.ReadAllText(file));
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    [InlineData("demo")]
    public void A_foreign_directory_is_not_a_log_exit_4_and_is_left_alone(string command)
    {
        Directory.CreateDirectory(LogPath);
        File.WriteAllText(Path.Combine(LogPath, "notes.txt"), "mine");

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, Args(command, LogPath));

        Assert.Equal(4, exit);
        AssertOneErrorLine(stdout, stderr, "is not a WalActors log");
        Assert.Equal(["notes.txt"], Directory.GetFiles(LogPath).Select(Path.GetFileName));
    }

    // The demo would otherwise run for its default three seconds, if it ran.
    private static string[] Args(string command, string directory) =>
        command == "demo" ? [command, "--dir", directory, "--seconds", "1"] : [command, "--dir", directory];

    [Fact]
    public void The_root_help_is_short_names_the_command_walactors_and_shows_the_table()
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "--help");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Usage:\n  walactors [command] [options]", stdout, StringComparison.Ordinal);
        foreach (var line in new[] { "0    ok", "1    torn tail", "2    usage", "3    damage", "4    not a log" })
        {
            Assert.Contains(line, stdout, StringComparison.Ordinal);
        }

        // One line per command: the details are in each command's own help.
        Assert.True(Lines(stdout).Length < 40, stdout);
        foreach (var command in new[] { "demo", "inspect", "verify", "dump", "tail", "append", "salvage", "bench" })
        {
            Assert.Single(Lines(stdout), l => l.StartsWith(command + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Version_prints_the_one_version_of_the_packages()
    {
        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "--version");

        Assert.Equal(0, exit);
        var expected = typeof(WalOptions).Assembly.GetName().Version!;
        Assert.StartsWith($"{expected.Major}.{expected.Minor}.{expected.Build}", stdout, StringComparison.Ordinal);
    }
}
