using System.Globalization;
using System.Text;
using Akka.Actor;
using WalActors.CrashTests.Support;
using WalActors.Storage;
using Xunit.Abstractions;

namespace WalActors.CrashTests;

/// <summary>
/// Real process deaths inside recycled segments: a log of small segments is trimmed between runs (retention recycles the
/// dropped segments into the next positions, their old records still in them), and <c>walactors append</c> is killed
/// with SIGKILL while it writes over them. After each kill, <c>walactors dump</c> must show every acknowledged line at or
/// after the head at its LSN, every record one that was fed, in LSN order, and no line of an earlier run anywhere past
/// the end that run left: a stale record of a recycled segment read as data would be one.
/// </summary>
public sealed class RecyclingKillTests(ITestOutputHelper output) : LogDirectoryTest
{
    private const string SeedVariable = "WALACTORS_KILL_SEED";
    private const string RoundsVariable = "WALACTORS_KILL_ROUNDS";
    private const int DefaultRounds = 8;
    private const long SegmentSize = 64 * 1024;

    [Fact]
    public async Task Killed_while_appending_over_recycled_segments_the_log_keeps_every_acknowledged_line_from_its_head_and_nothing_stale()
    {
        var seed = ReadVariable(SeedVariable) ?? Random.Shared.Next();
        var rounds = ReadVariable(RoundsVariable) ?? DefaultRounds;
        output.WriteLine($"seed {seed} ({SeedVariable}), {rounds} rounds ({RoundsVariable})");
        var random = new Random(seed);
        SegmentedStore.Open(LogPath, SegmentSize).Dispose(); // small segments: every run fills several
        var fed = new Dictionary<string, int>(StringComparer.Ordinal);
        var acknowledged = new Dictionary<string, long>(StringComparer.Ordinal);
        long previousEnd = 0;
        var recycledRounds = 0;

        for (var round = 1; round <= rounds; round++)
        {
            var context = $"round {round} of seed {seed} (replay with {SeedVariable}={seed})";
            recycledRounds += File.ReadAllText(Path.Combine(LogPath, "walactors.meta")).Contains("recycled.", StringComparison.Ordinal) ? 1 : 0;
            var lines = Lines(round, random, 4000);
            lines.ForEach(line => fed.Add(line, round));
            using (var append = AppendProcess.Start(LogPath, round % 2 == 0 ? "written" : "durable"))
            {
                var feeding = append.FeedAsync(lines, endInput: false, new Random(random.Next()));
                // At least a thousand lines (about 1.5 segments), so every run writes past what the trim before it recycled.
                await append.WaitForAcknowledgementsAsync(random.Next(1000, 3000), Patience);
                await Task.Delay(random.Next(20));
                if (append.HasExited)
                {
                    // It waits for more input until killed: ending on its own means it failed (in use, damaged, faulted).
                    var (code, failure) = await append.WaitForExitAsync(Patience);
                    Assert.Fail($"{context}: walactors append exited {code} before the kill: {failure}");
                }

                append.Kill();
                await append.WaitForExitAsync(Patience);
                await feeding;
                foreach (var (line, lsn) in append.Acknowledged)
                {
                    acknowledged[lines[(int)line - 1]] = lsn;
                }
            }

            var (exitCode, records, error) = await Dump.RunAsync(LogPath);
            Assert.True(exitCode is 0 or 1, $"{context}: walactors dump exited {exitCode} (3 is damage): {error}");
            var problems = Check(records, fed, acknowledged, round, previousEnd);
            Assert.True(problems.Count == 0, $"{context}: {string.Join(Environment.NewLine, problems.Take(10))}");
            previousEnd = records.Count > 0 ? records[^1].Lsn + 1 : previousEnd;
            output.WriteLine($"round {round}: {records.Count} records from LSN {(records.Count > 0 ? records[0].Lsn : -1)}, {acknowledged.Count} acknowledged so far");

            // Retention between runs: everything but the last two segments goes, and up to two of those come back as
            // the next positions, still holding this run's records.
            await TrimAsync(records[^1].Lsn - SegmentSize);
        }

        output.WriteLine($"{recycledRounds} of {rounds} runs started with recycled segments ahead");
        Assert.True(recycledRounds >= rounds / 2, $"only {recycledRounds} of {rounds} runs started with recycled segments");
    }

    private static List<string> Check(IReadOnlyList<DumpedRecord> records, Dictionary<string, int> fed, Dictionary<string, long> acknowledged, int round, long previousEnd)
    {
        var problems = new List<string>();
        var head = records.Count > 0 ? records[0].Lsn : long.MaxValue;
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var text = Encoding.UTF8.GetString(record.Payload);
            if (i > 0 && record.Lsn <= records[i - 1].Lsn)
            {
                problems.Add($"LSN {record.Lsn} follows LSN {records[i - 1].Lsn}");
            }

            if (!fed.TryGetValue(text, out var fedIn))
            {
                problems.Add($"INVENTED: the record at LSN {record.Lsn} was never fed");
            }
            else if (fedIn < round && record.Lsn >= previousEnd)
            {
                problems.Add($"STALE: a line of round {fedIn} at LSN {record.Lsn}, past the end {previousEnd} its round left");
            }
            else if (acknowledged.TryGetValue(text, out var at) && at != record.Lsn)
            {
                problems.Add($"MOVED: a line acknowledged at LSN {at} is at LSN {record.Lsn}");
            }

            held[text] = record.Lsn;
        }

        problems.AddRange(acknowledged.Where(a => a.Value >= head && !held.ContainsKey(a.Key))
            .Select(a => $"LOST: a line acknowledged at LSN {a.Value}, at or after the head {head}, is not in the log"));
        return problems;
    }

    private async Task TrimAsync(long before)
    {
        using var system = ActorSystem.Create("trim");
        try
        {
            var options = new WalOptions { Directory = LogPath, RecycleSegments = 2 };
            var log = WriteAheadLog.Start(system, options);
            var client = new WalClient(system, log);
            await client.Ready;
            await client.TruncateBeforeAsync(new Lsn(Math.Max(0, before)));
            await WriteAheadLog.StopAsync(log, Patience);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static List<string> Lines(int round, Random random, int count) =>
        Enumerable.Range(1, count)
            .Select(line => string.Create(CultureInfo.InvariantCulture, $"r{round}-l{line}-{new string('x', random.Next(20, 120))}"))
            .ToList();

    private static int? ReadVariable(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
