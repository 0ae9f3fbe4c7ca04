using System.CommandLine;
using System.Text;
using WalActors.Host.Cli;
using WalActors.Host.Output;
using WalActors.Host.Reading;

namespace WalActors.Host.Commands;

/// <summary><c>walactors dump --dir DIR</c>: every record, read-only, as text or JSON lines.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory.");
        var from = CommandOptions.From("The LSN of the first record to print (an LSN printed by dump or append); default the log's head.");
        var format = CommandOptions.Choice("--format", "text or jsonl.", "text", "text", "jsonl");
        var journal = new Option<bool>("--journal") { Description = "Read the records as an Akka.Persistence journal's (WalJournal): persistence id, sequence number, tags, manifest, payload." };
        var command = new DocumentedCommand("dump", "Print every record, read-only, as text or JSON lines.", """
            Prints the log's records in LSN order. Read-only: takes no lock and modifies nothing, so it is safe on a
            log another process is writing (it prints the records that were valid when it started).

              text   one record a line, tab-separated: LSN, length in bytes, then "text" and the payload when it is
                     printable UTF-8 (no control characters, tabs and newlines included), else "hex" and its bytes
                     in lowercase hex. `walactors tail` prints records that are not log events the same way.
              jsonl  one JSON object a line: {"lsn":0,"length":5,"payload":"aGVsbG8="}, the payload in base64.

            With --journal each record is read as a WalJournal record:
              text   LSN, "event", persistence id, sequence number, tags (comma-separated, - for none), manifest
                     (- for none), then text|hex and the payload as above; LSN, "delete", persistence id,
                     to=N highest=N for a delete; LSN, "unreadable" and why for a record of another layout.
              jsonl  {"lsn":..,"kind":"event","persistence_id":..,"sequence_nr":..,"tags":[..],"manifest":..,
                     "event_manifest":..,"serializer_id":..,"writer_uuid":..,"timestamp":..,"length":..,
                     "payload":(base64),"text":(the payload as text when it is printable UTF-8, else null)}

            After the records, a torn tail (the remains of a write a crash interrupted: normal after a crash, and cut
            off by the next open for writing) or damage is reported on standard error with its LSN, and is the exit
            code: 0 clean, 1 torn tail, 3 damage (the records before it printed). 2 is a usage error (an LSN that is
            not a record of this log among them), 4 a directory that holds no log or cannot be read.

            Examples:
              walactors dump --dir ./wal-data
              walactors dump --dir ./wal-data --from 4096 --format jsonl | jq -c 'select(.length > 100)'
              walactors dump --dir ./wal-journal --journal
            """)
        {
            dir,
            from,
            format,
            journal,
        };
        command.SetGuardedAction(result => Run(
            result.GetValue(dir)!,
            result.GetValue(from),
            result.GetValue(format) == "jsonl" ? RecordFormat.Jsonl : RecordFormat.Text,
            result.GetValue(journal)));
        return command;
    }

    private static int Run(string directory, long? from, RecordFormat format, bool journal)
    {
        var listing = RecordListing.Open(directory, from);
        using (var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" })
        {
            foreach (var record in listing.Records())
            {
                output.WriteLine(journal ? JournalLine.Of(record, format) : RecordLine.Of(record, format));
            }
        }

        return listing.Finish(Console.Error);
    }
}
