using System.CommandLine;
using WalActors.Benchmarks;

namespace WalActors.Host.Commands;

/// <summary><c>walactors bench</c>: WalActors side by side with raw fdatasync, the ideal group-commit loop and FasterLog.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A short run for a smoke test: a fraction of a second per scenario, a 16 MiB recovery log." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on stdout instead of the table." };
        var duration = new Option<double?>("--duration") { Description = "Seconds measured per system per scenario (default 3; --quick 0.2)." };
        var warmup = new Option<double?>("--warmup") { Description = "Seconds of load before measuring (default 1; --quick 0.1)." };
        var recoverySize = new Option<string?>("--recovery-size") { Description = "Size of the log whose recovery is timed (default 1GiB; --quick 16MiB)." };
        var producers = new Option<string?>("--producers") { Description = "Closed-loop producer counts, comma-separated (default 1,8,64)." };
        var payloads = new Option<string?>("--payloads") { Description = "Payload sizes in bytes, comma-separated (default 128,4096)." };
        var systems = new Option<string?>("--systems") { Description = $"Systems to run, comma-separated (default all: {string.Join(",", SystemNames.All)})." };
        var directory = new Option<string?>("--dir") { Description = "Where to put the benchmark's temporary data (default the system temp folder); deleted afterwards." };
        var command = new Command("bench", """
            Measure durable appends: closed-loop producers (1, 8, 64) x payloads (128 B, 4 KiB), each append awaited as
            durable, for the raw fdatasync loop, the ideal group-commit loop, WalActors (actor API and IWalClient) and
            FasterLog, run one after another in alternating order; then the time to open a 1 GiB log. Prints a table with
            ratios and the project's targets, or JSON with --json. A live progress line goes to stderr.

            Example:
              walactors bench
              walactors bench --quick --json
            """)
        {
            quick, json, duration, warmup, recoverySize, producers, payloads, systems, directory,
        };
        command.SetAction(result => CommandFailure.GuardAsync(() =>
        {
            var settings = result.GetValue(quick) ? BenchSettings.Quick : new BenchSettings();
            settings = settings with
            {
                Duration = Seconds(result.GetValue(duration)) ?? settings.Duration,
                Warmup = Seconds(result.GetValue(warmup)) ?? settings.Warmup,
                RecoveryBytes = result.GetValue(recoverySize) is { } size ? ByteSize.Parse(size) : settings.RecoveryBytes,
                Producers = Integers(result.GetValue(producers)) ?? settings.Producers,
                Payloads = Integers(result.GetValue(payloads)) ?? settings.Payloads,
                Systems = Names(result.GetValue(systems)) ?? settings.Systems,
                TempRoot = result.GetValue(directory) ?? settings.TempRoot,
            };
            return RunAsync(settings, result.GetValue(json));
        }));
        return command;
    }

    private static async Task<int> RunAsync(BenchSettings settings, bool asJson)
    {
        // Whatever the systems under test print (Akka, FASTER) must not mix with the report, so stdout is held back for
        // the report alone and everything else written while the benchmark runs goes to stderr.
        var stdout = Console.Out;
        var progress = new BenchProgress(Console.Error, interactive: !Console.IsErrorRedirected);
        BenchReport report;
        Console.SetOut(Console.Error);
        try
        {
            report = await BenchRunner.RunAsync(settings, progress.Report).ConfigureAwait(false);
        }
        finally
        {
            progress.Finish();
            Console.SetOut(stdout);
        }

        if (asJson)
        {
            await using var output = Console.OpenStandardOutput();
            BenchJson.Write(output, report);
            await output.WriteAsync("\n"u8.ToArray()).ConfigureAwait(false);
        }
        else
        {
            BenchTable.Write(stdout, report);
        }

        return 0;
    }

    private static TimeSpan? Seconds(double? value) => value is { } seconds
        ? seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException("Durations must be positive.")
        : null;

    private static int[]? Integers(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(item => int.TryParse(item, out var n) && n > 0 ? n : throw new ArgumentException($"'{item}' is not a positive whole number."))
        .ToArray();

    private static string[]? Names(string? list)
    {
        var names = list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names?.FirstOrDefault(n => !SystemNames.All.Contains(n));
        return unknown is null ? names : throw new ArgumentException($"Unknown system '{unknown}'; the systems are {string.Join(", ", SystemNames.All)}.");
    }
}
