using System.Text.Json;
using Akka.Actor;
using WalActors.Tests.Support;

namespace WalActors.Host.Tests;

public sealed class SalvageAndLiveCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Salvage_keeps_the_records_before_the_damage_exports_the_rest_and_the_log_then_verifies_clean()
    {
        var damagedAt = await TestLogs.WriteDamagedAsync(LogPath);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "salvage", "--dir", LogPath);
        var (verified, verdict, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"kept 3 records before the damage at LSN {damagedAt}", stdout, StringComparison.Ordinal);
        Assert.Contains("exported 1,996 valid records", stdout, StringComparison.Ordinal);
        Assert.Equal(1996, File.ReadAllLines(Path.Combine(LogPath, $"salvaged-from-{damagedAt}.jsonl")).Length);
        Assert.Equal(0, verified);
        Assert.StartsWith("clean", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_from_a_record_past_the_damage_reads_what_is_still_valid_and_exits_with_the_damage()
    {
        await TestLogs.WriteDamagedAsync(LogPath);
        var from = 10 * TestLogs.FrameSize("record number 00000".Length);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", LogPath, "--from", from.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(3, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1990, lines.Length);
        Assert.StartsWith($"{from}\t", lines[0], StringComparison.Ordinal);
        Assert.Contains("DAMAGE at LSN", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Salvage_to_a_directory_that_is_not_empty_is_a_usage_error_and_changes_nothing()
    {
        await TestLogs.WriteDamagedAsync(LogPath);
        var before = Directory.GetFiles(LogPath).ToDictionary(f => f, File.ReadAllBytes);
        Directory.CreateDirectory(_directory.Combine("busy"));
        File.WriteAllText(Path.Combine(_directory.Combine("busy"), "something"), "x");

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "salvage", "--dir", LogPath, "--to", _directory.Combine("busy"));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("is not empty", stderr, StringComparison.Ordinal);
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    [Fact]
    public async Task Verify_on_a_log_another_process_is_writing_says_so_and_exits_zero()
    {
        using var system = ActorSystem.Create("live-writer", WalConfig.Defaults.WithFallback("akka.loglevel = WARNING"));
        var log = WriteAheadLog.Start(system, TestLogs.Small(LogPath));
        var client = new WalClient(system, log);
        for (var i = 0; i < 100; i++)
        {
            await client.AppendAsync(System.Text.Encoding.UTF8.GetBytes($"record {i}"));
        }

        var durable = (await client.GetStatusAsync()).DurableEnd.Value;
        // The writer publishes its durable end at most every 100 ms: wait for it, with a bound.
        var published = Path.Combine(LogPath, "walactors.status");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(published) || !File.ReadAllText(published).Contains($"durable={durable:D20}", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer never published its durable end");
            await Task.Delay(20);
        }

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath, "--json");

        Assert.Equal(0, exit);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("clean", result.GetProperty("status").GetString());
        Assert.Equal(Environment.ProcessId, result.GetProperty("writer_pid").GetInt32());
        Assert.Equal(durable, result.GetProperty("writer_durable_end").GetInt64());
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
    }
}
