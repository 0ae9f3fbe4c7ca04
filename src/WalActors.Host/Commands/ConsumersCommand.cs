using System.CommandLine;
using System.Text.Json;
using WalActors.Host.Cli;
using WalActors.Host.Reading;

namespace WalActors.Host.Commands;

/// <summary><c>walactors consumers --dir DIR [--json]</c>: the log's named consumers, where they resume and how far behind they are.</summary>
internal static class ConsumersCommand
{
    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory.");
        var json = new Option<bool>("--json") { Description = "Print one JSON object per consumer, a line each." };
        var command = new DocumentedCommand("consumers", "List a log's named consumers, their committed positions and lag, read-only.", """
            Lists every consumer that has committed a position in the log (WalSource.Tail / IWalClient.TailAsync with a
            consumer name, or a projection): its name, the LSN it resumes at, the commit frame that recorded it, how many
            records and bytes of the log lie after that position, and whether retention may pass it (lossy).
            Read-only: safe on a log another process is writing (the lag is then measured to its durable end).

            Example:
              walactors consumers --dir ./wal-data
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
        var consumers = WalDirectory.Consumers(LogDirectory.ForReading(directory));
        if (asJson)
        {
            foreach (var lag in consumers)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    name = lag.Consumer.Name,
                    next = lag.Consumer.Next.Value,
                    commit_lsn = lag.Consumer.CommitLsn.Value,
                    lossy = lag.Consumer.Lossy,
                    end = lag.End.Value,
                    lag_bytes = lag.Bytes,
                    lag_records = lag.Records,
                }));
            }

            return ExitCodes.Ok;
        }

        if (consumers.Count == 0)
        {
            Console.WriteLine("no consumers");
            return ExitCodes.Ok;
        }

        Console.WriteLine("NEXT\tLAG RECORDS\tLAG BYTES\tCOMMIT LSN\tMODE\tNAME");
        foreach (var lag in consumers)
        {
            Console.WriteLine($"{lag.Consumer.Next}\t{lag.Records:N0}\t{lag.Bytes:N0}\t{lag.Consumer.CommitLsn}\t{(lag.Consumer.Lossy ? "lossy" : "kept")}\t{lag.Consumer.Name}");
        }

        return ExitCodes.Ok;
    }
}
