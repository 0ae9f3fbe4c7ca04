using System.CommandLine;
using System.Globalization;
using WalActors.Host.Cli;
using WalActors.Host.Commands;
using WalActors.Host.Output;

namespace WalActors.Benchmarks.Startup;

/// <summary><c>startup</c>: time to ready of a large log of small records, with and without its recovery point.</summary>
internal static class StartupCommand
{
    public static Command Create()
    {
        var size = new Option<string?>("--size") { Description = "Bytes of 128-byte records the log starts with (default 1GiB)." };
        var runs = CommandOptions.WholeNumber("--runs", "How many times each start is measured.", 3, 1, 100);
        var directory = new Option<string?>("--dir") { Description = "Where the log goes (default the system temp folder); deleted afterwards.", HelpName = "DIR" };
        var command = new DocumentedCommand("startup", "Time to ready of a log of small records: no recovery point, after a graceful stop, after an abrupt stop.", """
            Builds a log of 128-byte records, then in each run starts it three times: with its recovery point deleted (recovery
            reads every frame from the head), after a graceful stop (the recovery point lies at the close marker), and after
            an abrupt stop that followed 64 MiB of appends (the recovery point lies where the log last passed a segment).
            Each row is the time from WriteAheadLog.Start to the client's Ready, and the bytes recovery read.

            Examples:
              dotnet run -c Release --project bench/WalActors.Benchmarks -- startup
              dotnet run -c Release --project bench/WalActors.Benchmarks -- startup --size 256MiB --runs 5
            """)
        {
            size, runs, directory,
        };
        command.SetGuardedAction(async (result, _) =>
        {
            var bytes = result.GetValue(size) is { } text ? ByteSize.Parse(text) : 1L << 30;
            var root = Path.Combine(result.GetValue(directory) ?? Path.GetTempPath(), "walactors-startup-" + Guid.NewGuid().ToString("N")[..8]);
            var progress = ProgressLine.ForStandardError();
            IReadOnlyList<StartupRow> rows;
            try
            {
                rows = await StartupBench.RunAsync(root, bytes, result.GetValue(runs), progress.Report).ConfigureAwait(false);
            }
            finally
            {
                progress.Finish();
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
            }

            Write(Console.Out, rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(TextWriter output, IReadOnlyList<StartupRow> rows)
    {
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine($"{"start",-20} {"log MiB",8} {"records",12} {"ready s (each run)",-28} {"scanned MiB (each run)",-26}");
        foreach (var group in rows.GroupBy(r => r.Scenario))
        {
            var seconds = string.Join(' ', group.Select(r => r.Seconds.ToString("F3", invariant)));
            var scanned = string.Join(' ', group.Select(r => (r.ScannedBytes / (1024.0 * 1024)).ToString("F1", invariant)));
            var first = group.First();
            output.WriteLine($"{group.Key,-20} {(first.LogBytes / (1024.0 * 1024)).ToString("N0", invariant),8} {first.Records.ToString("N0", invariant),12} {seconds,-28} {scanned,-26}");
        }
    }
}
