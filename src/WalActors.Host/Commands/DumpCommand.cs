using System.CommandLine;
using System.Globalization;
using System.Text;
using WalActors.Host.Output;

namespace WalActors.Host.Commands;

/// <summary><c>walactors dump --dir DIR</c>: every record, read-only, as text or JSON lines.</summary>
internal static class DumpCommand
{
    /// <summary>The exit code for a damaged log: a record that could have been acknowledged is invalid.</summary>
    public const int DamageExitCode = 2;

    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The log directory.", Required = true };
        var from = new Option<long?>("--from")
        {
            Description = "The LSN of the first record to print: a record boundary (an LSN printed by dump or append). Default: the log's head.",
            HelpName = "LSN",
        };
        var format = new Option<string>("--format") { Description = "text or jsonl (see above).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "jsonl");
        var command = new Command("dump", """
            Print the log's records in LSN order. Read-only: takes no lock and modifies nothing, so it is safe on a
            log another process is writing (it prints the records that were valid when it started).

              text   one record a line, tab-separated: LSN, length in bytes, then "text" and the payload when it is
                     printable UTF-8 (no control characters, tabs and newlines included), else "hex" and its bytes
                     in lowercase hex.
              jsonl  one JSON object a line: {"lsn":0,"length":5,"payload":"aGVsbG8="}, the payload in base64.

            After the records, a torn tail (the remains of a write a crash interrupted: normal after a crash, and cut
            off by the next open for writing) or damage is reported on standard error with its LSN.
            Exit codes: 0 the log was read to its end, clean or torn; 2 damage: an invalid record that could have
            been acknowledged, the records before it printed; 3 the log could not be read (no log there, or --from
            is below the head or not a record boundary).

            Examples:
              walactors dump --dir ./wal-data
              walactors dump --dir ./wal-data --from 4096 --format jsonl | jq -c 'select(.length > 100)'
            """)
        {
            dir,
            from,
            format,
        };
        command.SetAction(result => CommandFailure.Guard(() => Run(result.GetValue(dir)!, result.GetValue(from), result.GetValue(format) == "jsonl")));
        return command;
    }

    private static int Run(string directory, long? from, bool jsonl)
    {
        // The scan that classifies the tail also fixes the end: records appended after it are left for the next dump.
        var log = LogInspector.Inspect(directory);
        using (var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" })
        {
            if (from is null || from < log.End.Value)
            {
                foreach (var record in LogReader.ReadRecords(directory, from is { } lsn ? new Lsn(lsn) : null).TakeWhile(r => r.Lsn < log.End))
                {
                    output.WriteLine(jsonl ? Json(record) : Text(record));
                }
            }
        }

        switch (log.Tail)
        {
            case LogTail.Torn:
                Console.Error.WriteLine($"walactors: torn tail at LSN {log.End}: {log.TailBytes} bytes of an interrupted write ({log.Problem}); " +
                                        "normal after a crash, the next open for writing cuts it off");
                return 0;
            case LogTail.Damaged:
                Console.Error.WriteLine($"walactors: DAMAGE at LSN {log.End}: {log.Problem}");
                return DamageExitCode;
            default:
                return 0;
        }
    }

    private static string Json(WalRecord record) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"lsn\":{record.Lsn.Value},\"length\":{record.Payload.Length},\"payload\":\"{Convert.ToBase64String(record.Payload.Span)}\"}}");

    private static string Text(WalRecord record)
    {
        var (encoding, text) = PayloadText.Show(record.Payload.Span);
        return string.Create(CultureInfo.InvariantCulture, $"{record.Lsn.Value}\t{record.Payload.Length}\t{encoding}\t{text}");
    }
}
