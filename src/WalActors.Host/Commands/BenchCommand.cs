using System.CommandLine;
using WalActors.Host.Bench;
using WalActors.Host.Cli;
using WalActors.Host.Output;

namespace WalActors.Host.Commands;

/// <summary>
/// <c>walactors bench</c>: durable appends on the user's own disk, WalActors against what the disk itself allows (the raw
/// fdatasync loop, the ideal group-commit loop). The peer comparison (bench/WalActors.Benchmarks) runs the same command
/// with other logs added to the catalogue.
/// </summary>
internal static class BenchCommand
{
    public const string Summary = "Measure durable appends on this disk: raw fdatasync, the ideal group-commit loop and WalActors.";

    public static Command Create() => Configure(new DocumentedCommand("bench", Summary, Details("walactors bench")), BenchCatalog.Own);

    /// <summary>The bench's options and action on <paramref name="command"/>, over the systems of <paramref name="catalog"/>.</summary>
    public static Command Configure(Command command, BenchCatalog catalog)
    {
        var quick = new Option<bool>("--quick") { Description = "A short run for a smoke test: a fraction of a second per scenario, a 16 MiB recovery log." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on stdout instead of the table." };
        var duration = CommandOptions.Seconds("--duration", "Seconds measured per system per scenario (--quick: 0.2).", 3, 3600);
        var warmup = CommandOptions.Seconds("--warmup", "Seconds of load before measuring (--quick: 0.1).", 1, 3600);
        var recoverySize = new Option<string?>("--recovery-size") { Description = "Size of the log whose recovery is timed (default 1GiB; --quick 16MiB)." };
        var producers = new Option<string?>("--producers") { Description = "Closed-loop producer counts, comma-separated (default 1,8,64)." };
        var payloads = new Option<string?>("--payloads") { Description = "Payload sizes in bytes, comma-separated (default 128,4096)." };
        var systems = new Option<string?>("--systems") { Description = $"Systems to run, comma-separated (default all: {string.Join(",", catalog.Names)})." };
        var openProducers = new Option<string?>("--open-producers") { Description = "Open loop: producer counts each keeping one append in flight, comma-separated, or none (default 1000,10000; --quick 1000)." };
        var rates = new Option<string?>("--rate") { Description = "Open loop: appends/s offered at a fixed rate, comma-separated, or none (default 25000,50000,100000,200000,400000,800000; --quick 10000)." };
        var openPayload = CommandOptions.WholeNumber("--open-payload", "Open loop: payload bytes per append.", 128, 1, 1024 * 1024);
        var directory = new Option<string?>("--dir") { Description = "Where to put the benchmark's temporary data (default the system temp folder); deleted afterwards.", HelpName = "DIR" };
        foreach (var option in new Option[] { quick, json, duration, warmup, recoverySize, producers, payloads, systems, openProducers, rates, openPayload, directory })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((result, _) =>
        {
            var settings = result.GetValue(quick) ? BenchSettings.Quick : new BenchSettings();
            settings = settings with
            {
                Duration = Given(result, duration) ? TimeSpan.FromSeconds(result.GetValue(duration)) : settings.Duration,
                Warmup = Given(result, warmup) ? TimeSpan.FromSeconds(result.GetValue(warmup)) : settings.Warmup,
                RecoveryBytes = result.GetValue(recoverySize) is { } size ? ByteSize.Parse(size) : settings.RecoveryBytes,
                Producers = Integers(result.GetValue(producers)) ?? settings.Producers,
                Payloads = Integers(result.GetValue(payloads)) ?? settings.Payloads,
                Systems = Names(result.GetValue(systems), catalog) ?? settings.Systems,
                OpenProducers = Integers(result.GetValue(openProducers), allowNone: true) ?? settings.OpenProducers,
                Rates = Integers(result.GetValue(rates), allowNone: true) ?? settings.Rates,
                OpenPayload = result.GetValue(openPayload),
                TempRoot = result.GetValue(directory) ?? settings.TempRoot,
            };
            return RunAsync(settings, catalog, result.GetValue(json));
        });
        return command;
    }

    /// <summary>The bench's details for its help, under the name it is run by.</summary>
    public static string Details(string name) => $"""
        Measures durable appends: closed-loop producers (1, 8, 64) x payloads (128 B, 4 KiB), each append awaited as
        durable, for each system in turn (alternating order); then the open loop: 1,000 and 10,000 producers each with
        one append in flight, and appends offered at fixed rates (latency against throughput, each row beside the
        disk's physical bound); then the time to open a 1 GiB log. Every row reports the bytes read from storage per MB
        appended. Prints a table with ratios and the project's targets, or JSON with --json. A live progress line goes
        to stderr on a terminal.
        To compare with other logs (FasterLog), run the peer comparison from a clone of the repository:
          dotnet run -c Release --project bench/WalActors.Benchmarks

        Examples:
          {name}
          {name} --quick --json
          {name} --producers 64 --payloads 128 --open-producers none --rate 50000
        """;

    private static async Task<int> RunAsync(BenchSettings settings, BenchCatalog catalog, bool asJson)
    {
        // Whatever the systems under test print must not mix with the report, so stdout is held back for the report
        // alone and everything else written while the benchmark runs goes to stderr.
        var stdout = Console.Out;
        var progress = ProgressLine.ForStandardError();
        BenchReport report;
        Console.SetOut(Console.Error);
        try
        {
            report = await BenchRunner.RunAsync(settings, catalog, progress.Report).ConfigureAwait(false);
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

        return ExitCodes.Ok;
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    // "none" turns an open-loop mode off; the closed-loop lists always need at least one value.
    private static int[]? Integers(string? list, bool allowNone = false) =>
        allowNone && string.Equals(list?.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? [] : list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => int.TryParse(item, out var n) && n > 0 ? n : throw new UsageException($"'{item}' is not a positive whole number."))
            .ToArray();

    private static string[]? Names(string? list, BenchCatalog catalog)
    {
        var names = list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names?.FirstOrDefault(n => !catalog.Names.Contains(n));
        return unknown is null ? names : throw new UsageException($"Unknown system '{unknown}'; the systems are {string.Join(", ", catalog.Names)}.");
    }
}
