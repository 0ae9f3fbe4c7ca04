using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

/// <summary><c>dump</c> and <c>tail</c>: the same records printed the same way, and the same starts refused with the same words.</summary>
public sealed class ReadCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> Readers => ["dump", "tail"];

    [Fact]
    public async Task Tail_and_dump_print_the_same_records_the_same_way_in_text_and_in_jsonl()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, ["alpha", "tab\tinside", "✓ ünïcode"]);

        var (dumpExit, dump, _) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", LogPath);
        var (tailExit, tail, _) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", LogPath);
        var (_, dumpJson, _) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", LogPath, "--format", "jsonl");
        var (_, tailJson, _) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", LogPath, "--format", "JSONL");

        Assert.Equal(0, dumpExit);
        Assert.Equal(0, tailExit);
        Assert.Equal(
            [$"{lsns[0]}\t5\ttext\talpha", $"{lsns[1]}\t10\thex\t{Convert.ToHexStringLower("tab\tinside"u8)}", $"{lsns[2]}\t13\ttext\t✓ ünïcode"],
            Lines(dump));
        Assert.Equal(Lines(dump), Lines(tail));
        Assert.Equal(Lines(dumpJson), Lines(tailJson));
        var records = Lines(tailJson).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(lsns.Select(l => l.Value), records.Select(r => r.GetProperty("lsn").GetInt64()));
        Assert.Equal("✓ ünïcode", Encoding.UTF8.GetString(Convert.FromBase64String(records[2].GetProperty("payload").GetString()!)));
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task From_a_record_prints_it_and_the_rest_and_from_the_end_prints_nothing(string command)
    {
        var lsns = await TestLogs.WriteAsync(LogPath, ["one", "two", "three"]);
        var end = lsns[^1].Value + TestLogs.FrameSize("three".Length);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath, "--from", lsns[1].ToString());
        var (atEnd, nothing, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath, "--from", end.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, exit);
        Assert.Equal([lsns[1].Value, lsns[2].Value], Lines(stdout).Select(l => long.Parse(l.Split('\t')[0], CultureInfo.InvariantCulture)));
        Assert.True(atEnd == 0, stderr);
        Assert.Equal(string.Empty, nothing);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task From_beyond_the_end_is_a_usage_error(string command)
    {
        var lsns = await TestLogs.WriteAsync(LogPath, ["one", "two"]);
        var end = lsns[^1].Value + TestLogs.FrameSize(3) + TestLogs.CloseMarkerSize;

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath, "--from", (end + 8).ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneErrorLine(stdout, stderr, $"--from {end + 8} is beyond the end of the log, LSN {end}.");
    }

    [Theory]
    [InlineData("dump", 8)]
    [InlineData("tail", 8)]
    [InlineData("dump", 16)]
    [InlineData("tail", 16)]
    public async Task From_inside_a_record_is_a_usage_error_even_where_the_record_holds_zeros(string command, int offset)
    {
        // The payload is zeros: 16 bytes in, a reader finds what looks like empty space, not a bad frame.
        var lsns = await TestLogs.WriteAsync(LogPath, ["first", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", "last"]);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, command, "--dir", LogPath, "--from", (lsns[1].Value + offset).ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneErrorLine(stdout, stderr, $"LSN {lsns[1].Value + offset} is not the start of a record");
    }

    [Fact]
    public async Task Tail_follow_refuses_a_start_beyond_the_end_rather_than_waiting_for_it()
    {
        await TestLogs.WriteAsync(LogPath, ["one"]);

        var (exit, _, stderr) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", LogPath, "--follow", "--from", "4096");

        Assert.Equal(2, exit);
        Assert.Contains("beyond the end of the log", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_follow_shows_records_written_by_another_process_as_they_arrive()
    {
        await TestLogs.WriteAsync(LogPath, ["before"]);
        using var follow = WalactorsProcess.Start(_directory.Path, "tail", "--dir", LogPath, "--follow");
        follow.WaitForOutput("before", Patience);

        using var system = ActorSystem.Create("writer", WalConfig.Defaults.WithFallback("akka.loglevel = WARNING"));
        var log = WriteAheadLog.Start(system, TestLogs.Small(LogPath));
        var client = new WalClient(system, log);
        await client.AppendAsync("live one"u8.ToArray(), Durability.Written);
        follow.WaitForOutput("live one", Patience);
        await client.AppendAsync("live two"u8.ToArray());
        follow.WaitForOutput("live two", Patience);

        Assert.Equal(["before", "live one", "live two"], Lines(follow.Stdout).Select(l => l.Split('\t')[3]));
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
    }
}
