using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

/// <summary><c>consumers</c>, and the reading commands on a log that holds commit frames.</summary>
public sealed class ConsumersCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Consumers_lists_each_consumer_with_its_position_and_lag_and_the_readers_skip_commit_frames()
    {
        var lsns = await WriteWithCommitsAsync();
        var end = lsns[^1].Value + TestLogs.FrameSize("record 9".Length);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "consumers", "--dir", LogPath);
        var (jsonExit, json, _) = WalactorsProcess.Run(_directory.Path, "consumers", "--dir", LogPath, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(0, jsonExit);
        var rows = Lines(json).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["audit", "billing"], rows.Select(r => r.GetProperty("name").GetString()));
        var auditNext = lsns[3].Value + TestLogs.FrameSize("record 3".Length);
        Assert.Equal(auditNext, rows[0].GetProperty("next").GetInt64());
        Assert.True(rows[0].GetProperty("lossy").GetBoolean());
        Assert.Equal(end, rows[1].GetProperty("next").GetInt64());
        Assert.Equal(0, rows[1].GetProperty("lag_bytes").GetInt64());
        Assert.Equal(6, rows[0].GetProperty("lag_records").GetInt64()); // records 4..9 after audit's commit of record 3
        Assert.Equal(0, rows[1].GetProperty("lag_records").GetInt64());
        Assert.Equal(end, rows[1].GetProperty("end").GetInt64());
        Assert.Equal(rows[0].GetProperty("end").GetInt64() - auditNext, rows[0].GetProperty("lag_bytes").GetInt64());
        Assert.Equal(end, rows[0].GetProperty("end").GetInt64());
        var text = Lines(stdout);
        Assert.Equal("NEXT\tLAG RECORDS\tLAG BYTES\tCOMMIT LSN\tMODE\tNAME", text[0]);
        Assert.EndsWith("\tlossy\taudit", text[1], StringComparison.Ordinal);
        Assert.StartsWith($"{end}\t0\t0\t", text[2], StringComparison.Ordinal);
        Assert.StartsWith($"{auditNext}\t6\t", text[1], StringComparison.Ordinal);

        // dump prints the ten records only; verify and inspect count ten records and call the log clean.
        var (_, dump, _) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", LogPath);
        Assert.Equal(lsns.Select(l => l.Value), Lines(dump).Select(l => long.Parse(l.Split('\t')[0], CultureInfo.InvariantCulture)));
        var (verifyExit, verify, _) = WalactorsProcess.Run(_directory.Path, "verify", "--dir", LogPath, "--json");
        Assert.Equal(0, verifyExit);
        Assert.Equal(10, JsonDocument.Parse(verify).RootElement.GetProperty("records").GetInt64());
        var (inspectExit, inspect, _) = WalactorsProcess.Run(_directory.Path, "inspect", "--dir", LogPath);
        Assert.Equal(0, inspectExit);
        Assert.Contains("records    10", inspect, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumers_of_a_log_without_any_says_so_and_of_a_missing_log_exits_four()
    {
        await TestLogs.WriteAsync(LogPath, ["one"]);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "consumers", "--dir", LogPath);
        var (missing, _, stderr) = WalactorsProcess.Run(_directory.Path, "consumers", "--dir", _directory.Combine("nothing-here"));

        Assert.Equal(0, exit);
        Assert.Equal(["no consumers"], Lines(stdout));
        Assert.Equal(4, missing);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task Consumers_reads_a_log_another_process_is_writing_and_measures_lag_to_its_durable_end()
    {
        using var system = ActorSystem.Create("live-consumer", WalConfig.Defaults.WithFallback("akka.loglevel = WARNING"));
        var log = WriteAheadLog.Start(system, TestLogs.Small(LogPath));
        var client = new WalClient(system, log);
        var first = await client.AppendAsync("one"u8.ToArray());
        await client.CommitAsync("live", first);
        await client.AppendAsync("two"u8.ToArray());
        var durable = (await client.GetStatusAsync()).DurableEnd.Value;
        // The writer publishes its durable end at most every 100 ms: wait for it, with a bound.
        var published = Path.Combine(LogPath, "walactors.status");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(published) || !File.ReadAllText(published).Contains($"durable={durable:D20}", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer never published its durable end");
            await Task.Delay(20);
        }

        var (exit, json, stderr) = WalactorsProcess.Run(_directory.Path, "consumers", "--dir", LogPath, "--json");

        Assert.True(exit == 0, stderr);
        var row = JsonDocument.Parse(Lines(json).Single()).RootElement;
        Assert.Equal("live", row.GetProperty("name").GetString());
        Assert.Equal(first.Value + TestLogs.FrameSize(3), row.GetProperty("next").GetInt64());
        Assert.Equal(durable, row.GetProperty("end").GetInt64());
        Assert.Equal(durable - row.GetProperty("next").GetInt64(), row.GetProperty("lag_bytes").GetInt64());
        Assert.True(row.GetProperty("lag_bytes").GetInt64() > 0);
        Assert.Equal(1, row.GetProperty("lag_records").GetInt64());
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
    }

    private async Task<List<Lsn>> WriteWithCommitsAsync()
    {
        using var system = ActorSystem.Create("consumer-writer", WalConfig.Defaults.WithFallback("akka.loglevel = WARNING"));
        var log = WriteAheadLog.Start(system, TestLogs.Small(LogPath));
        var client = new WalClient(system, log);
        var lsns = new List<Lsn>();
        for (var i = 0; i < 10; i++)
        {
            lsns.Add(await client.AppendAsync(System.Text.Encoding.UTF8.GetBytes($"record {i}")));
            if (i == 3)
            {
                await client.CommitAsync("audit", lsns[3], lossy: true);
            }
        }

        await client.CommitAsync("billing", lsns[9]);
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
        await system.Terminate();
        return lsns;
    }
}
