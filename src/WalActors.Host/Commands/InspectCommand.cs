using System.CommandLine;

namespace WalActors.Host.Commands;

/// <summary><c>walactors inspect --dir DIR</c>: what a log holds, read-only.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The log directory.", Required = true };
        var command = new Command("inspect", """
            Show a log's segments, head, end, record count and bytes, and any torn tail or damage.
            Read-only: safe on a log another process is writing.

            Example:
              walactors inspect --dir ./wal-data
            """)
        {
            dir,
        };
        command.SetAction(result => CommandFailure.Guard(() => Run(result.GetValue(dir)!)));
        return command;
    }

    private static int Run(string directory)
    {
        var log = LogInspector.Inspect(directory);
        Console.WriteLine($"log        {log.Directory}");
        Console.WriteLine($"segments   {log.Segments.Count} x {log.SegmentSize} bytes");
        foreach (var segment in log.Segments)
        {
            Console.WriteLine($"  {Path.GetFileName(segment.FilePath)}  LSN {segment.BaseOffset}..{segment.BaseOffset + segment.Size}");
        }

        Console.WriteLine($"head       {log.Head}");
        Console.WriteLine($"end        {log.End}");
        Console.WriteLine($"records    {log.RecordCount}");
        Console.WriteLine($"bytes      {log.Bytes}");
        Console.WriteLine(log.Tail switch
        {
            LogTail.Damaged => $"DAMAGE     at LSN {log.End}: {log.Problem}",
            LogTail.Torn => $"torn tail  {log.TailBytes} bytes at LSN {log.End} ({log.Problem}); the next open truncates it",
            _ => "tail       clean",
        });
        return 0;
    }
}
