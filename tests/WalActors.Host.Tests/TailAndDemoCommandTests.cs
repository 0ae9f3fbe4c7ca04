using WalActors.Tests.Support;
using System.Text;
using System.Text.Json;
using Akka.Actor;

namespace WalActors.Host.Tests;

public sealed class TailAndDemoCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Tail_prints_records_as_text_and_as_jsonl_from_an_lsn()
    {
        var lsns = await TestLogs.WriteAsync(LogPath, ["alpha", "beta", "gamma"]);

        var (exit, text, _) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", LogPath);
        var (jsonExit, jsonl, _) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", LogPath, "--from", lsns[1].ToString(), "--format", "jsonl");

        Assert.Equal(0, exit);
        Assert.Equal([$"{lsns[0]} 5 alpha", $"{lsns[1]} 4 beta", $"{lsns[2]} 5 gamma"], Lines(text));
        Assert.Equal(0, jsonExit);
        var records = Lines(jsonl).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([lsns[1].Value, lsns[2].Value], records.Select(r => r.GetProperty("lsn").GetInt64()));
        Assert.Equal(["beta", "gamma"], records.Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(r.GetProperty("payload").GetString()!))));
        Assert.Equal([4, 5], records.Select(r => r.GetProperty("length").GetInt32()));
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

        Assert.Equal(["before", "live one", "live two"], Lines(follow.Stdout).Select(l => l.Split(' ', 3)[2]));
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Demo_runs_a_workload_and_a_second_run_recovers_the_first_runs_records()
    {
        var (exit, first, firstErr) = WalactorsProcess.Run(_directory.Path, "demo", "--seconds", "1", "--producers", "4");
        var (secondExit, second, _) = WalactorsProcess.Run(_directory.Path, "demo", "--seconds", "1", "--producers", "4");

        Assert.True(exit == 0, firstErr);
        Assert.Contains("recovered: 0 records", first);
        var acknowledged = long.Parse(Between(first, "(", " acknowledged").Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(acknowledged > 0);
        Assert.Contains("appends/s:", first);
        Assert.Contains("latency:        p50", first);
        Assert.Contains("barriers:", first);
        Assert.Contains("durable end LSN", first);
        Assert.Equal(0, secondExit);
        Assert.Contains($"recovered: {acknowledged} records", second);
        Assert.True(Directory.Exists(Path.Combine(_directory.Path, "wal-data")));
    }

    [Fact]
    public async Task Demo_on_a_log_in_use_by_another_process_is_one_clear_line_and_a_non_zero_exit()
    {
        await TestLogs.WriteAsync(LogPath, ["held"]);
        using var system = ActorSystem.Create("holder", WalConfig.Defaults.WithFallback("akka.loglevel = OFF"));
        var log = WriteAheadLog.Start(system, TestLogs.Small(LogPath));
        await new WalClient(system, log).Ready;

        var (exit, _, stderr) = WalactorsProcess.Run(_directory.Path, "demo", "--dir", LogPath, "--seconds", "1");

        Assert.Equal(3, exit);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is in use", stderr);
        Assert.DoesNotContain("   at ", stderr);
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, text.IndexOf("appends/s:", StringComparison.Ordinal), StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
