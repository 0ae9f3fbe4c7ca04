using System.Diagnostics;
using System.Globalization;
using WalActors.CrashTests.Support;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.CrashTests;

/// <summary>
/// A projection's process killed with SIGKILL at random moments, many times, while input events keep arriving between
/// runs; then run to the end. Exactly once: the journal holds each input's output exactly once, in input order. At least
/// once: every input was handled (its effect outside the journal is there) and has an output, repeats allowed.
/// </summary>
public sealed class ProjectionKillTests(ITestOutputHelper output) : LogDirectoryTest
{
    private const string SeedVariable = "WALACTORS_KILL_SEED";
    private const string RoundsVariable = "WALACTORS_KILL_ROUNDS";
    private const int DefaultRounds = 8;
    private const int EventsPerRound = 150;

    private static string Child => Path.Combine(AppContext.BaseDirectory, "WalActors.ProjectionChild.dll");

    [Theory]
    [InlineData("ExactlyOnce")]
    [InlineData("AtLeastOnce")]
    public async Task A_projection_killed_at_random_moments_keeps_its_guarantee(string mode)
    {
        var seed = Read(SeedVariable) ?? Random.Shared.Next();
        var rounds = Read(RoundsVariable) ?? DefaultRounds;
        output.WriteLine($"{mode}: seed {seed} ({SeedVariable}), {rounds} rounds ({RoundsVariable})");
        var random = new Random(seed);
        Directory.CreateDirectory(LogPath);
        var written = 0;
        for (var round = 1; round <= rounds; round++)
        {
            await RunAsync($"write {written} {EventsPerRound}", "write", written.ToString(CultureInfo.InvariantCulture), EventsPerRound.ToString(CultureInfo.InvariantCulture));
            written += EventsPerRound;
            var every = random.Next(1, 60);
            var reports = random.Next(1, 30);
            var handled = await KillAfterAsync(reports, "run", mode, every.ToString(CultureInfo.InvariantCulture));
            output.WriteLine($"round {round}: commit every {every}, killed after {reports} progress reports ({handled})");
        }

        var finishEvery = random.Next(1, 60).ToString(CultureInfo.InvariantCulture);
        await RunAsync("finish", "finish", mode, finishEvery);
        var outputs = (await RunAsync("outputs", "outputs")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).ToList();
        var handledFile = File.ReadAllLines(Path.Combine(LogPath, "handled.txt"));
        var inputs = Enumerable.Range(0, written).Select(i => $"e-{i}").ToList();
        output.WriteLine($"{written} inputs, {handledFile.Length} handlings, {outputs.Count} outputs");

        Assert.Equal(Enumerable.Range(1, outputs.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), outputs.Select(o => o[0]));
        Assert.Equal(inputs, handledFile.Distinct());
        if (mode == "ExactlyOnce")
        {
            Assert.Equal(inputs.Select(i => $"out:{i}"), outputs.Select(o => o[1]));
        }
        else
        {
            Assert.Equal(inputs.Select(i => $"out:{i}"), outputs.Select(o => o[1]).Distinct());
        }
    }

    private static int? Read(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Starts the child, waits for <paramref name="reports"/> progress lines, kills it with SIGKILL; returns its last report.</summary>
    private async Task<string> KillAfterAsync(int reports, params string[] arguments)
    {
        using var process = Process.Start(Launcher(arguments)) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var last = "no report";
            using var timeout = new CancellationTokenSource(Patience);
            for (var seen = 0; seen < reports; seen++)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail($"the child ended before it was killed: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
                }

                last = line;
            }

            process.Kill(entireProcessTree: true); // SIGKILL on Linux: no shutdown, no close marker, no last commit
            await process.WaitForExitAsync(timeout.Token);
            return last;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task<string> RunAsync(string what, params string[] arguments)
    {
        var (exit, stdout, stderr) = await WalactorsProcess.RunAsync(Launcher(arguments), Patience);
        Assert.True(exit == 0, $"{what} exited {exit}: {stderr}");
        output.WriteLine($"{what}: ok");
        return stdout;
    }

    private ProcessStartInfo Launcher(string[] arguments) => WalactorsProcess.ProgramStartInfo(Child, null, [LogPath, .. arguments]);
}
