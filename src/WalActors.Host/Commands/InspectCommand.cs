using System.CommandLine;
using WalActors.Host.Cli;
using WalActors.Host.Reading;

namespace WalActors.Host.Commands;

/// <summary><c>walactors inspect --dir DIR</c>: what a log holds, read-only.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory.");
        var command = new DocumentedCommand("inspect", "Show a log's segments, positions, records and how it ends, read-only.", """
            Shows a log's segments, head, end, record count and bytes, and any torn tail or damage.
            Read-only: safe on a log another process is writing. The exit code is the log's verdict:
            0 clean, 1 torn tail, 3 damage; 4 when there is no log to inspect.

            Example:
              walactors inspect --dir ./wal-data
            """)
        {
            dir,
        };
        command.SetGuardedAction(result => Run(result.GetValue(dir)!));
        return command;
    }

    private static int Run(string directory)
    {
        var log = WalDirectory.Inspect(LogDirectory.ForReading(directory));
        Console.WriteLine($"log        {log.Directory}");
        Console.WriteLine($"segments   {log.Segments.Count:N0} x {log.SegmentSize:N0} bytes");
        foreach (var segment in log.Segments)
        {
            Console.WriteLine($"  {Path.GetFileName(segment.FilePath)}  LSN {segment.BaseOffset}..{segment.BaseOffset + segment.Size}");
        }

        Console.WriteLine($"head       LSN {log.Head}");
        Console.WriteLine($"end        LSN {log.End}");
        Console.WriteLine($"records    {log.RecordCount:N0}");
        Console.WriteLine($"bytes      {log.Bytes:N0}");
        Console.WriteLine(log.Tail switch
        {
            LogTail.Damaged => $"DAMAGE     at LSN {log.End}: {log.Problem}",
            LogTail.Torn => $"torn tail  {log.TailBytes:N0} bytes at LSN {log.End} ({log.Problem}); the next open truncates it",
            _ => "tail       clean",
        });
        if (log.WriterProcessId is { } writer)
        {
            Console.WriteLine($"writer     process {writer}, durable to LSN {log.WriterDurableEnd}");
        }

        return ExitCodes.For(log.Tail);
    }
}
