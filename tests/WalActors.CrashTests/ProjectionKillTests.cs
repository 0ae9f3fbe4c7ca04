using System.Diagnostics;
using System.Globalization;
using WalActors.CrashTests.Support;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.CrashTests;

/// <summary>
/// A projection's process killed with SIGKILL at random moments, many times, while the same process writes new input
/// events, with its slices shared by 1, 4, then 2 instances in turn; then run to the end with 2. Exactly once: the
/// journal holds each input's output exactly once, in input order. At least once: every input was handled (its effect
/// outside the journal is there) and has an output, repeats allowed. The inputs are whatever the kills let the writer
/// persist: the journal itself says which.
/// </summary>
public sealed class ProjectionKillTests(ITestOutputHelper output) : LogDirectoryTest
{
    private const string SeedVariable = "WALACTORS_KILL_SEED";
    private const string RoundsVariable = "WALACTORS_KILL_ROUNDS";
    private const int DefaultRounds = 9;
    private const int EventsPerRound = 400;
    private static readonly int[] InstanceCounts = [1, 4, 2];

    private static string Child => Path.Combine(AppContext.BaseDirectory, "WalActors.ProjectionChild.dll");

    [Theory]
    [InlineData("ExactlyOnce")]
    [InlineData("AtLeastOnce")]
    public async Task A_projection_killed_at_random_moments_while_its_slices_move_between_instances_keeps_its_guarantee(string mode)
    {
        var seed = Read(SeedVariable) ?? Random.Shared.Next();
        var rounds = Read(RoundsVariable) ?? DefaultRounds;
        output.WriteLine($"{mode}: seed {seed} ({SeedVariable}), {rounds} rounds ({RoundsVariable})");
        var random = new Random(seed);
        Directory.CreateDirectory(LogPath);
        await RunAsync("write 0..99", "write", "0", "100");
        for (var round = 1; round <= rounds; round++)
        {
            var every = random.Next(1, 60);
            var reports = random.Next(1, 40);
            var instances = InstanceCounts[(round - 1) % InstanceCounts.Length];
            var from = 100 + ((round - 1) * EventsPerRound);
            var handled = await KillAfterAsync(reports, "run", mode, Text(every), Text(instances), Text(from), Text(EventsPerRound));
            output.WriteLine($"round {round}: {instances} instances, commit every {every}, killed after {reports} progress reports ({handled})");
        }

        await RunAsync("finish with 2 instances", "finish", mode, Text(random.Next(1, 60)), "2");
        var events = (await RunAsync("events", "events")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
        var inputs = events.Where(e => e[0].StartsWith("input-", StringComparison.Ordinal)).ToList();
        var handledFile = File.ReadAllLines(Path.Combine(LogPath, "handled.txt"));
        output.WriteLine($"{inputs.Count} inputs persisted, {handledFile.Length} handlings, {events.Count - inputs.Count} outputs");

        Assert.True(inputs.Count > 100, "no input was written while the projection ran: the test proves little");
        Assert.Equal(inputs.Select(e => e[2]).Order(StringComparer.Ordinal), handledFile.Distinct().Order(StringComparer.Ordinal));
        foreach (var id in inputs.Select(e => e[0]).Distinct())
        {
            var expected = inputs.Where(e => e[0] == id).Select(e => $"out:{e[2]}").ToList();
            var outputs = events.Where(e => e[0] == $"out-{id}").ToList();
            Assert.Equal(Enumerable.Range(1, outputs.Count).Select(Text), outputs.Select(o => o[1]));
            Assert.Equal(expected, mode == "ExactlyOnce" ? outputs.Select(o => o[2]) : outputs.Select(o => o[2]).Distinct());
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int? Read(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : null;

    private Task<string> KillAfterAsync(int reports, params string[] arguments) => ChildKill.AfterReportsAsync(Launcher(arguments), reports, Patience);

    private async Task<string> RunAsync(string what, params string[] arguments)
    {
        var (exit, stdout, stderr) = await WalactorsProcess.RunAsync(Launcher(arguments), Patience);
        Assert.True(exit == 0, $"{what} exited {exit}: {stderr}");
        output.WriteLine($"{what}: ok");
        return stdout;
    }

    private ProcessStartInfo Launcher(string[] arguments) => WalactorsProcess.ProgramStartInfo(Child, null, [LogPath, .. arguments]);
}
