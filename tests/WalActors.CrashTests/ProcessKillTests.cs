using System.Globalization;
using System.Text;
using WalActors.CrashTests.Support;
using Xunit.Abstractions;

namespace WalActors.CrashTests;

/// <summary>
/// Real process deaths: <c>walactors append</c> is fed lines and killed with SIGKILL at random moments, many times in a
/// row on the same log, alternating durability levels. After each kill, <c>walactors dump</c> must show every line the
/// process printed as acknowledged, at its LSN, and nothing that was not fed; the lines of each run form a prefix of what
/// it was fed, in order; and what earlier runs left never changes.
/// </summary>
public sealed class ProcessKillTests(ITestOutputHelper output) : LogDirectoryTest
{
    private const string SeedVariable = "WALACTORS_KILL_SEED";
    private const string RoundsVariable = "WALACTORS_KILL_ROUNDS";
    private const int DefaultRounds = 12;
    [Fact]
    public async Task Every_line_acknowledged_before_a_kill_is_in_the_log_at_its_lsn_and_nothing_else_is()
    {
        var seed = ReadVariable(SeedVariable) ?? Random.Shared.Next();
        var rounds = ReadVariable(RoundsVariable) ?? DefaultRounds;
        output.WriteLine($"seed {seed} ({SeedVariable}), {rounds} rounds ({RoundsVariable})");
        var random = new Random(seed);
        var history = new KillHistory();

        for (var round = 1; round <= rounds; round++)
        {
            var context = $"round {round} of seed {seed} (replay the choices with {SeedVariable}={seed})";
            var summary = await RunRoundAsync(round, random, history, context);
            output.WriteLine($"round {round}: {summary}");
        }

        output.WriteLine($"{history.Acknowledged} acknowledgements checked across {rounds} process deaths; the log holds {history.Records.Count} records");
    }

    private async Task<string> RunRoundAsync(int round, Random random, KillHistory history, string context)
    {
        // Both levels survive a process kill: the kernel keeps what was written.
        var durability = round % 2 == 0 ? "written" : "durable";
        var graceful = round > 1 && random.Next(6) == 0;
        var lines = Lines(round, random, graceful ? 300 : 12_000);
        history.Feed(round, lines);

        string moment;
        IReadOnlyList<(long Line, long Lsn)> acknowledged;
        using (var append = AppendProcess.Start(LogPath, durability))
        {
            var feeding = append.FeedAsync(lines, endInput: graceful, new Random(random.Next()));
            if (graceful)
            {
                var (exitCode, error) = await append.WaitForExitAsync(Patience);
                Assert.True(exitCode == 0, $"{context}: walactors append exited {exitCode} at the end of its input: {error}");
                moment = "none: end of input";
            }
            else
            {
                moment = await KillAtRandomMomentAsync(append, random, early: round == 1 || random.Next(3) == 0);
                await append.WaitForExitAsync(Patience);
            }

            await feeding;
            acknowledged = append.Acknowledged;
        }

        if (graceful)
        {
            Assert.True(acknowledged.Count == lines.Count, $"{context}: {acknowledged.Count} of {lines.Count} lines acknowledged after a clean end");
        }

        history.Acknowledge(round, acknowledged);
        var tail = await VerifyAsync(history, context);
        return $"{durability}, killed {moment}, {acknowledged.Count} acknowledged, log now {history.Records.Count} records{tail}";
    }

    /// <summary>Kills early (start-up, recovery, creating the log and its first segment), or once some acknowledgements are out.</summary>
    private static async Task<string> KillAtRandomMomentAsync(AppendProcess append, Random random, bool early)
    {
        if (early)
        {
            var delay = random.Next(900);
            await Task.Delay(delay);
            append.Kill();
            return $"{delay} ms after start";
        }

        var after = random.Next(1, 10_000);
        await append.WaitForAcknowledgementsAsync(after, Patience);
        await Task.Delay(random.Next(20));
        append.Kill();
        return $"after {after}+ acknowledgements";
    }

    /// <summary>Checks the log with <c>walactors dump</c>; returns what dump said about its tail, if anything.</summary>
    private async Task<string> VerifyAsync(KillHistory history, string context)
    {
        if (!File.Exists(Path.Combine(LogPath, "walactors.meta")))
        {
            // Killed before the log was ever created: then nothing can have been acknowledged.
            Assert.True(history.Acknowledged == 0, $"{context}: {history.Acknowledged} acknowledgements, yet no log was created");
            return ", no log created yet";
        }

        var (exitCode, records, error) = await Dump.RunAsync(LogPath);
        // A kill may leave a torn tail (exit 1): normal, and cut off by the next open. 3 would be damage.
        Assert.True(exitCode is 0 or 1, $"{context}: walactors dump exited {exitCode} (3 is damage): {error}");
        var problems = history.Check(records);
        Assert.True(problems.Count == 0, $"{context}: {string.Join(Environment.NewLine, problems.Take(10))}{Environment.NewLine}dump said: {error}");
        return error.Length > 0 ? $"; dump: {error.Trim()}" : string.Empty;
    }

    /// <summary>Lines a run is fed: unique, identifiable, of assorted lengths, with some non-ASCII text.</summary>
    private static List<string> Lines(int round, Random random, int count)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -_.,;:ÄÖÜßéèñ€✓";
        return Enumerable.Range(1, count).Select(line =>
        {
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"r{round}-l{line}-"));
            var length = random.Next(30) == 0 ? random.Next(300, 2000) : random.Next(0, 80);
            for (var i = 0; i < length; i++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            return text.ToString();
        }).ToList();
    }

    private static int? ReadVariable(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
