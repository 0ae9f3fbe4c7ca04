using System.CommandLine;
using System.Text.Json;

namespace WalActors.Host.Commands;

/// <summary><c>walactors verify --dir DIR [--json]</c>: a full read-only checksum scan with an exit code a script can use.</summary>
internal static class VerifyCommand
{
    public const int Clean = 0;
    public const int TornTail = 1;
    public const int Damaged = 2;

    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The log directory.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("verify", """
            Validate every record's checksum, read-only. Exit codes: 0 clean; 1 torn tail (an interrupted write that the
            next open truncates); 2 damage (a record that could have been acknowledged is invalid; its LSN is named);
            3 the log could not be read.

            Examples:
              walactors verify --dir ./wal-data
              walactors verify --dir ./wal-data --json
            """)
        {
            dir,
            json,
        };
        command.SetAction(result => CommandFailure.Guard(() => Run(result.GetValue(dir)!, result.GetValue(json))));
        return command;
    }

    private static int Run(string directory, bool asJson)
    {
        var log = LogInspector.Inspect(directory);
        var code = log.Tail switch
        {
            LogTail.Damaged => Damaged,
            LogTail.Torn => TornTail,
            _ => Clean,
        };

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
            }));
            return code;
        }

        Console.WriteLine(log.Tail switch
        {
            LogTail.Damaged => $"DAMAGED at LSN {log.End}: {log.Problem}",
            LogTail.Torn => $"torn tail at LSN {log.End}: {log.TailBytes} bytes of {log.Problem}; the next open truncates it",
            _ => "clean",
        });
        Console.WriteLine($"{log.RecordCount} valid records, {log.Bytes} bytes, LSN {log.Head}..{log.End}");
        return code;
    }
}
