using System.CommandLine;
using WalActors.Host.Cli;
using WalActors.Host.Output;
using WalActors.Host.Reading;
using WalActors.Logging;

namespace WalActors.Host.Commands;

/// <summary><c>walactors tail --dir DIR [--from LSN] [--follow] [--format text|jsonl] [--level LEVEL] [--journal]</c>.</summary>
internal static class TailCommand
{
    private static readonly string[] Levels = ["debug", "info", "warning", "error"];

    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory (for WalLogger logs: the node's folder).");
        dir.Required = false;
        var cluster = new Option<string>("--cluster") { Description = "Follow every cluster member's WalLogger log, from any member's address (akka.tcp://SYSTEM@HOST:PORT).", HelpName = "ADDRESS" };
        var hostname = new Option<string>("--hostname") { Description = "With --cluster: the address this command listens on for the nodes' streams (one they can reach).", HelpName = "HOST", DefaultValueFactory = _ => "127.0.0.1" };
        var from = CommandOptions.From("Start at this LSN (a record's); default the head.");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records as they are written, until Ctrl+C." };
        var format = CommandOptions.Choice("--format", "text or jsonl.", "text", "text", "jsonl");
        var level = CommandOptions.Choice("--level", "Only log events at or above this level (any letter case).", null, Levels);
        var journal = new Option<bool>("--journal") { Description = "Read the records as an Akka.Persistence journal's (WalJournal), as `walactors dump --journal` does." };
        var command = new DocumentedCommand("tail", "Print records, log events readably; --follow for new ones as they are written.", """
            Prints a log's records: WalLogger events readably (time, level, source, message), other records as
            `walactors dump` does (LSN, length, text|hex, payload; --format jsonl the same JSON lines). With --journal
            they are read as a WalJournal's records, as `walactors dump --journal` prints them. Read-only; works while
            another process writes the log. With --follow, new records appear as they are written, until Ctrl+C.

            Without --follow the exit code is the log's verdict, as for dump: 0 clean, 1 torn tail, 3 damage (reported
            on stderr after the records); 2 a usage error, 4 no log there.

            With --cluster ADDRESS it follows the logs of every member of the cluster that node belongs to, each
            streamed from its own node over Akka.Remote (the nodes run WalLogger), every line prefixed with the node's
            host:port; nodes that join later are followed too, and a node that goes away is reported on stderr and
            followed again when it comes back. It runs until Ctrl+C; exit 4 if the address does not answer.

            Examples:
              walactors tail --dir ./wal-data --from 0
              walactors tail --cluster akka.tcp://my-app@10.0.0.5:4053 --level warning
              walactors tail --dir ./wal-logs/my-system --follow --level warning
              walactors tail --dir ./wal-journal --journal --follow
            """)
        {
            dir, from, follow, format, level, journal, cluster, hostname,
        };
        command.Validators.Add(result =>
        {
            var onCluster = result.GetResult(cluster) is not null;
            if (onCluster == (result.GetResult(dir) is not null))
            {
                result.AddError("Give either --dir (one log on disk) or --cluster (every member's log), not both and not neither.");
            }

            if (onCluster && (result.GetResult(from) is not null || result.GetValue(journal)))
            {
                result.AddError("--from and --journal read one log on disk: they cannot be combined with --cluster.");
            }

            // Only whether --level was given: its value may be the error the parser reports.
            if (result.GetResult(level) is { Implicit: false } && result.GetValue(journal))
            {
                result.AddError("--level filters log events and cannot be combined with --journal.");
            }
        });
        command.SetGuardedAction((result, cancellation) => result.GetValue(cluster) is { } seed
            ? ClusterTailRun.RunAsync(seed, result.GetValue(hostname)!, result.GetValue(format) == "jsonl" ? RecordFormat.Jsonl : RecordFormat.Text, result.GetValue(level), cancellation)
            : RunAsync(
            result.GetValue(dir)!,
            result.GetValue(from),
            result.GetValue(follow),
            result.GetValue(format) == "jsonl" ? RecordFormat.Jsonl : RecordFormat.Text,
            result.GetValue(level),
            result.GetValue(journal),
            cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string directory, long? from, bool follow, RecordFormat format, string? level, bool journal, CancellationToken cancellation)
    {
        var minimum = level is null ? -1 : LogEventRecord.Rank(level);
        void Print(WalRecord record)
        {
            if (journal)
            {
                Console.WriteLine(JournalLine.Of(record, format));
                return;
            }

            if (TailLine.Of(record.Lsn, record.Payload.Span, format, minimum) is { } line)
            {
                Console.WriteLine(line);
            }
        }

        var listing = RecordListing.Open(directory, from);
        if (!follow)
        {
            foreach (var record in listing.Records())
            {
                Print(record);
            }

            return listing.Finish(Console.Error);
        }

        listing.CheckStart();
        try
        {
            var start = from is { } lsn ? new Lsn(lsn) : (Lsn?)null;
            await foreach (var record in WalDirectory.Follow(listing.Directory, start, cancellation).ConfigureAwait(false))
            {
                Print(record);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl+C ends --follow normally.
        }

        return ExitCodes.Ok;
    }
}
