using System.Globalization;
using Akka.Actor;
using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Demo_runs_a_workload_and_a_second_run_recovers_the_first_runs_records()
    {
        var (exit, first, firstErr) = WalactorsProcess.Run(_directory.Path, "demo", "--seconds", "1", "--producers", "4");
        var (secondExit, second, _) = WalactorsProcess.Run(_directory.Path, "demo", "--seconds", "1", "--producers", "4");

        Assert.True(exit == 0, firstErr);
        Assert.Contains("recovered: 0 records", first, StringComparison.Ordinal);
        var acknowledged = Acknowledged(first);
        Assert.True(acknowledged > 0);
        Assert.Contains("appends/s:", first, StringComparison.Ordinal);
        Assert.Matches(@"latency:        p50 [\d,]+ µs, p99 [\d,]+ µs", first);
        Assert.Contains("barriers:", first, StringComparison.Ordinal);
        Assert.Contains("durable end LSN", first, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            // Judged on the log's own threads, with the whole process's reads beside them.
            Assert.Matches(@"storage reads:  [\d.,]+ MB read by the log's threads while appending [\d.,]+ MB: [\d,]+ B per MB appended \([\d.,]+%; target <= 1%: (met|MISSED)\); the whole process read [\d.,]+ MB \([\d,]+ major faults", first);
        }

        Assert.Equal(0, secondExit);
        Assert.Contains($"recovered: {acknowledged.ToString("N0", CultureInfo.InvariantCulture)} records", second, StringComparison.Ordinal);

        // The first run stopped gracefully: its close marker and the manifest say so.
        Assert.Contains("closed cleanly", second, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_directory.Path, "wal-data")));
    }

    [Fact]
    public void With_stderr_redirected_there_is_no_progress_line_and_nothing_else_on_stderr()
    {
        var (exit, _, stderr) = WalactorsProcess.Run(_directory.Path, "demo", "--dir", LogPath, "--seconds", "1", "--producers", "2");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(100_000)]
    public void Runs_at_producer_counts_far_beyond_a_mailbox_with_every_append_acknowledged(int producers)
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "demo", "--dir", LogPath, "--seconds", "1", "--producers", producers.ToString(CultureInfo.InvariantCulture));

        Assert.True(exit == 0, stderr);
        Assert.Contains($"workload:       {producers.ToString("N0", CultureInfo.InvariantCulture)} producer actors", stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 failed)", stdout, StringComparison.Ordinal);
        Assert.True(Acknowledged(stdout) >= producers, stdout);
        AssertNoStackTrace(stdout + stderr);
    }

    [Fact]
    public async Task On_a_log_in_use_by_another_process_it_is_one_line_exit_4_and_no_akka_report()
    {
        await TestLogs.WriteAsync(LogPath, ["held"]);
        using var system = ActorSystem.Create("holder", WalConfig.Defaults.WithFallback("akka.loglevel = OFF"));
        var log = WriteAheadLog.Start(system, TestLogs.Small(LogPath));
        await new WalClient(system, log).Ready;

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "demo", "--dir", LogPath, "--seconds", "1");

        Assert.Equal(4, exit);
        AssertOneErrorLine(stdout, stderr, "is in use");
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task On_a_damaged_log_it_is_one_line_exit_3_and_the_log_is_left_as_it_was()
    {
        // A segment missing from the middle: damage whatever the in-flight window of the demo's settings.
        await TestLogs.WriteAsync(LogPath, Enumerable.Range(0, 5000).Select(i => $"record number {i:D5}"));
        File.Delete(TestLogs.SegmentFile(LogPath, 64 * 1024));
        var before = Directory.GetFiles(LogPath).Where(f => f.EndsWith(".seg", StringComparison.Ordinal)).ToDictionary(f => f, File.ReadAllBytes);

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "demo", "--dir", LogPath, "--seconds", "1");

        Assert.True(exit == 3, stderr);
        AssertOneErrorLine(stdout, stderr, "damaged");
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    private static long Acknowledged(string output)
    {
        var line = Lines(output).Single(l => l.StartsWith("appends/s:", StringComparison.Ordinal));
        var from = line.IndexOf('(', StringComparison.Ordinal) + 1;
        return long.Parse(line[from..line.IndexOf(" acknowledged", StringComparison.Ordinal)], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }
}
