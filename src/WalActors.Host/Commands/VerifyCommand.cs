using System.CommandLine;
using System.Text.Json;
using WalActors.Host.Cli;
using WalActors.Host.Reading;

namespace WalActors.Host.Commands;

/// <summary><c>walactors verify --dir DIR [--json]</c>: a full read-only checksum scan with an exit code a script can use.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory.");
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new DocumentedCommand("verify", "Validate every record's checksum; the exit code says clean, torn or damaged.", """
            Validates every record's checksum, read-only. Exit codes: 0 clean; 1 torn tail (an interrupted write that
            the next open truncates); 3 damage (a record that could have been acknowledged is invalid; its LSN is
            named); 4 no log there, or it could not be read. On a log another process is writing, it judges only what
            that process reports durable: records past it are still being written, and a healthy live log is clean.

            Examples:
              walactors verify --dir ./wal-data
              walactors verify --dir ./wal-data --json
            """)
        {
            dir,
            json,
        };
        command.SetGuardedAction(result => Run(result.GetValue(dir)!, result.GetValue(json)));
        return command;
    }

    private static int Run(string directory, bool asJson)
    {
        var log = WalDirectory.Inspect(LogDirectory.ForReading(directory));
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                directory = log.Directory,
                status = log.Tail.ToString().ToLowerInvariant(),
                head = log.Head.Value,
                end = log.End.Value,
                records = log.RecordCount,
                bytes = log.Bytes,
                problem_lsn = log.Tail == LogTail.Clean ? (long?)null : log.End.Value,
                tail_bytes = log.TailBytes,
                problem = log.Problem,
                writer_pid = log.WriterProcessId,
                writer_durable_end = log.WriterDurableEnd?.Value,
            }));
            return ExitCodes.For(log.Tail);
        }

        Console.WriteLine(log.Tail switch
        {
            LogTail.Damaged => $"DAMAGE at LSN {log.End}: {log.Problem}",
            LogTail.Torn => $"torn tail at LSN {log.End}: {log.TailBytes:N0} bytes of {log.Problem}; the next open truncates it",
            _ => "clean",
        });
        Console.WriteLine($"{log.RecordCount:N0} valid records, {log.Bytes:N0} bytes, LSN {log.Head}..{log.End}");
        if (log.WriterProcessId is { } writer)
        {
            Console.WriteLine($"live: process {writer} is writing it, durable to LSN {log.WriterDurableEnd}; what lies past that is in flight");
        }

        return ExitCodes.For(log.Tail);
    }
}
