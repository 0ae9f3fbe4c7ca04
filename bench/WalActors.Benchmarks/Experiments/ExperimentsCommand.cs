using System.CommandLine;
using WalActors.Host.Cli;
using WalActors.Host.Commands;
using WalActors.Host.Output;

namespace WalActors.Benchmarks.Experiments;

/// <summary>
/// <c>experiments</c>: the write-path alternatives for issue 12, measured before the storage layer chooses one. They
/// live here, not in the walactors tool: they are raw Linux system calls (O_DIRECT, sync_file_range, io_uring) that
/// answer a design question for this project, not something a user needs to measure their own disk for WalActors.
/// </summary>
internal static class ExperimentsCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A smoke test: 0.2 s per row, 16 MiB files." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on stdout instead of the table." };
        var duration = CommandOptions.Seconds("--duration", "Seconds each row appends (--quick: 0.2).", 3, 3600);
        var fileSize = new Option<string?>("--file-size") { Description = "Size of each prepared file (default 256MiB; --quick 16MiB); appends stop at its end." };
        var only = CommandOptions.Choice("--only", "Run one experiment only.", null, ExperimentCatalog.WritePath, ExperimentCatalog.Preparation);
        var sizes = new Option<string?>("--sizes") { Description = "Append sizes for both experiments, comma-separated (default: write-path 144,4112,131584; preparation 144,4112)." };
        var directory = new Option<string?>("--dir") { Description = "Where the temporary files go (default the system temp folder); deleted afterwards.", HelpName = "DIR" };
        var command = new DocumentedCommand("experiments", "Write-path alternatives: buffered vs O_DIRECT, sync_file_range, io_uring, and how a segment's preparation makes appends read.", """
            Two experiments, single-threaded, each row on a fresh file:
              write-path:  pwrite + fdatasync, + sync_file_range(WRITE), O_DSYNC, O_DIRECT|O_DSYNC and O_DIRECT + fdatasync
                           (whole pages from a tail page kept in memory), io_uring write->fdatasync linked (buffered, direct)
              preparation: pwrite + fdatasync into a file zero-filled with O_DIRECT (today), zero-filled buffered,
                           fallocated, warmed with WILLNEED or by reading it back, recycled (cached, evicted), growing;
                           and whole-page writes into an uncached file
            Every row reports appends/s, latency, CPU and the bytes read from storage per MB appended.

            Examples:
              dotnet run -c Release --project bench/WalActors.Benchmarks -- experiments
              dotnet run -c Release --project bench/WalActors.Benchmarks -- experiments --only preparation --json
            """)
        {
            quick, json, duration, fileSize, only, sizes, directory,
        };
        command.SetGuardedAction((result, _) =>
        {
            var settings = result.GetValue(quick) ? ExperimentSettings.Quick : new ExperimentSettings();
            var given = result.GetValue(sizes)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out var n) && n > 0 && n <= 64 * 1024 * 1024 ? n : throw new UsageException($"'{s}' is not a size from 1 to 64 MiB in bytes."))
                .ToArray();
            settings = settings with
            {
                Duration = result.GetResult(duration) is { Implicit: false } ? TimeSpan.FromSeconds(result.GetValue(duration)) : settings.Duration,
                FileSize = result.GetValue(fileSize) is { } size ? ByteSize.Parse(size) : settings.FileSize,
                Groups = result.GetValue(only) is { } group ? [group] : [],
                WritePathSizes = given ?? settings.WritePathSizes,
                PreparationSizes = given ?? settings.PreparationSizes,
                TempRoot = result.GetValue(directory) ?? settings.TempRoot,
            };
            return Task.FromResult(Run(settings, result.GetValue(json)));
        });
        return command;
    }

    private static int Run(ExperimentSettings settings, bool asJson)
    {
        var progress = ProgressLine.ForStandardError();
        ExperimentReport report;
        try
        {
            report = ExperimentRunner.Run(settings, progress.Report);
        }
        finally
        {
            progress.Finish();
        }

        if (asJson)
        {
            using var output = Console.OpenStandardOutput();
            ExperimentJson.Write(output, report);
            output.Write("\n"u8);
        }
        else
        {
            ExperimentTable.Write(Console.Out, report);
        }

        return ExitCodes.Ok;
    }
}
