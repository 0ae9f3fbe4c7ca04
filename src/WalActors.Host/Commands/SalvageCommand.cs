using System.CommandLine;
using WalActors.Host.Cli;
using WalActors.Host.Reading;

namespace WalActors.Host.Commands;

/// <summary><c>walactors salvage --dir DIR [--to NEW_DIR]</c>: keep the valid prefix of a damaged log, export what follows.</summary>
internal static class SalvageCommand
{
    public static Command Create()
    {
        var dir = CommandOptions.Directory("The damaged log directory.");
        var to = new Option<string?>("--to")
        {
            Description = "Salvage a copy in this new (or empty) directory and leave --dir exactly as it is.",
        };
        var command = new DocumentedCommand("salvage", "Keep the valid records of a damaged log; export the valid ones past the damage.", """
            Opens a log that verify calls damaged (exit 3) and keeps every record before the damage. Every valid record
            found after it is first written to salvaged-from-LSN.jsonl in the salvaged log's directory (one JSON object
            per line: lsn, kind, base64 payload), so nothing valid is thrown away. Segment files after a missing one are
            moved into salvaged-segments/, not deleted. A log without damage is simply recovered, as any open would.
            The log must not be in use.

            Examples:
              walactors salvage --dir ./wal-data
              walactors salvage --dir ./wal-data --to ./wal-data-rescued
            """)
        {
            dir,
            to,
        };
        command.SetGuardedAction(result => Run(result.GetValue(dir)!, result.GetValue(to)));
        return command;
    }

    private static int Run(string directory, string? to)
    {
        var source = LogDirectory.ForReading(directory);
        RecoveryReport report;
        try
        {
            report = WalDirectory.Salvage(source, to is null ? null : LogDirectory.ForWriting(to));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        var kept = to is null ? source : Path.GetFullPath(to);
        if (report.SalvagedDamageAt is { } damage)
        {
            Console.WriteLine($"salvaged {kept}: kept {report.RecordCount:N0} records before the damage at LSN {damage}");
            Console.WriteLine(report.SalvageFile is { } file
                ? $"exported {report.SalvagedRecordCount:N0} valid records found after it to {file}"
                : "no valid records were found after it");
        }
        else
        {
            Console.WriteLine($"no damage in {kept}: {report}");
        }

        return ExitCodes.Ok;
    }
}
