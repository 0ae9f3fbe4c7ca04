using System.CommandLine;
using System.Text;
using System.Text.Json;
using WalActors.Logging;

namespace WalActors.Host.Commands;

/// <summary><c>walactors tail --dir DIR [--from LSN] [--follow] [--format text|jsonl] [--level LEVEL]</c>.</summary>
internal static class TailCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The log directory (for WalLogger logs: the node's folder).", Required = true };
        var from = new Option<long?>("--from") { Description = "Start at this LSN (a record boundary); the head by default." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records as they are written, until Ctrl+C." };
        var format = new Option<string>("--format") { Description = "text (default) or jsonl.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "jsonl");
        var level = new Option<string?>("--level") { Description = "Only log events at or above this level: debug, info, warning, error." };
        level.AcceptOnlyFromAmong("debug", "info", "warning", "error");
        var command = new Command("tail", """
            Print a log's records: WalLogger events readably (time, level, source, message), other records as LSN and
            text. Read-only; works while another process writes the log. With --follow, new records appear as they are
            written.

            Examples:
              walactors tail --dir ./wal-data --from 0
              walactors tail --dir ./wal-logs/my-system --follow --level warning
              walactors tail --dir ./wal-data --format jsonl
            """)
        {
            dir, from, follow, format, level,
        };
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(() => RunAsync(
            result.GetValue(dir)!,
            result.GetValue(from),
            result.GetValue(follow),
            result.GetValue(format)!,
            result.GetValue(level),
            cancellation)));
        return command;
    }

    private static async Task<int> RunAsync(string directory, long? from, bool follow, string format, string? level, CancellationToken cancellation)
    {
        var minimum = level is null ? -1 : LogEventRecord.Rank(level);
        var start = from is null ? (Lsn?)null : new Lsn(from.Value);
        void Print(WalRecord record)
        {
            var isEvent = LogEventRecord.TryParse(record.Payload.Span, out var logEvent);
            if (minimum >= 0 && (!isEvent || LogEventRecord.Rank(logEvent!.Level) < minimum))
            {
                return;
            }

            Console.WriteLine(format == "jsonl" ? Json(record) : isEvent ? logEvent!.ToString() : Text(record));
        }

        if (!follow)
        {
            foreach (var record in LogReader.ReadRecords(directory, start))
            {
                Print(record);
            }

            return 0;
        }

        try
        {
            await foreach (var record in LogFollower.Follow(directory, start, cancellation).ConfigureAwait(false))
            {
                Print(record);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl+C ends --follow normally.
        }

        return 0;
    }

    internal static string Json(WalRecord record) => JsonSerializer.Serialize(new
    {
        lsn = record.Lsn.Value,
        length = record.Payload.Length,
        payload = Convert.ToBase64String(record.Payload.Span),
    });

    internal static string Text(WalRecord record)
    {
        var payload = record.Payload.Span;
        var printable = IsPrintableUtf8(payload);
        return $"{record.Lsn.Value} {payload.Length} {(printable ? Encoding.UTF8.GetString(payload) : "base64:" + Convert.ToBase64String(payload))}";
    }

    private static bool IsPrintableUtf8(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }

        foreach (var rune in Encoding.UTF8.GetString(bytes).EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return false;
            }
        }

        return true;
    }
}
