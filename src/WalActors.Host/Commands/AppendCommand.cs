using System.CommandLine;
using Akka.Actor;
using WalActors.Host.Cli;
using WalActors.Host.Input;
using WalActors.Host.Output;
using WalActors.Host.Reading;
using WalActors.Host.Runtime;

namespace WalActors.Host.Commands;

/// <summary><c>walactors append --dir DIR</c>: each line of standard input becomes one record; each acknowledgement is printed as it comes.</summary>
internal static class AppendCommand
{
    // Enough appends in flight for group commit to fill its barriers; a bound, so input faster than the disk waits.
    private const int MaxInFlight = 4096;

    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory; a new log is created there if there is none.");
        var durability = CommandOptions.Choice(
            "--durability",
            "When a line counts as appended: durable, after a durability barrier (survives a power loss); " +
            "or written, once handed to the operating system (survives a crash of this process, not a power loss). Default durable.",
            "durable",
            "durable",
            "written");
        var command = new DocumentedCommand("append", "Append each line of standard input as a record; print LINE LSN as each is acknowledged.", """
            Appends each line of standard input to the log as one record: the line's bytes, without its newline
            (a CR just before the LF is dropped too). Many appends are in flight at once. As each is acknowledged,
            "LINE_NUMBER LSN" (lines numbered from 1) is printed on standard output and flushed, in the order the
            acknowledgements arrive. At the end of the input it waits for every acknowledgement, shuts the log down
            cleanly and exits 0. The first line that cannot be appended ends the command: nothing after it is sent,
            the acknowledgements that came before it are printed, and it is reported in one line on standard error:
            exit code 2 for a line longer than walactors.log.max-record-size, 4 for a log that is in use, not a log,
            or failed. Ctrl+C or SIGTERM stops reading, waits for what is in flight, shuts the log down and exits 130.

            Examples:
              printf 'first\nsecond\n' | walactors append --dir ./wal-data
              tail -f app.log | walactors append --dir ./wal-data --durability written > acks.txt
            """)
        {
            dir,
            durability,
        };
        command.SetGuardedAction((result, cancellation) => RunAsync(
            result.GetValue(dir)!,
            result.GetValue(durability) == "written" ? Durability.Written : Durability.Durable,
            cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string directory, Durability durability, CancellationToken cancellation)
    {
        var options = WalOptions.FromConfig(WalConfig.Defaults.GetConfig(WalOptions.ConfigPath)) with { Directory = LogDirectory.ForWriting(directory) };
        // Standard output carries acknowledgements only; anything else written to the console goes to stderr.
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        using var system = ActorSystem.Create("walactors", CommandSystemConfig.WithLogDefaults);
        var log = WriteAheadLog.Start(system, options);
        try
        {
            var client = new WalClient(system, log);
            var report = await ReadyAsync(client).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"walactors: recovered {options.Directory}: {RecoveryLine.Of(report)}").ConfigureAwait(false);
            return await AppendLinesAsync(client, durability, options.MaxRecordSize, stdout, cancellation).ConfigureAwait(false);
        }
        finally
        {
            await WriteAheadLog.StopAsync(log, options.ShutdownTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for recovery; a log that cannot be opened reports why (in use, damaged), not merely that it is faulted.</summary>
    private static async Task<RecoveryReport> ReadyAsync(WalClient client)
    {
        try
        {
            return await client.Ready.ConfigureAwait(false);
        }
        catch (WalFaultedException e) when (e.InnerException is WalException cause)
        {
            throw cause;
        }
    }

    private static async Task<int> AppendLinesAsync(IWalClient client, Durability durability, int maxRecordSize, Stream stdout, CancellationToken cancellation)
    {
        var lines = new LineReader(Console.OpenStandardInput(), maxRecordSize);
        var failures = new FirstFailure();
        var interrupted = false;
        using var slots = new SemaphoreSlim(MaxInFlight);
        await using (var printer = new AcknowledgementPrinter(stdout))
        {
            try
            {
                while (!failures.Any && await lines.ReadLineAsync(cancellation).ConfigureAwait(false) is { } line)
                {
                    await slots.WaitAsync(cancellation).ConfigureAwait(false);
                    // A line read is appended whatever happens next: an interruption stops the reading, not the appends made.
                    _ = AcknowledgeAsync(lines.LineNumber, client.AppendAsync(line, durability, CancellationToken.None), printer);
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                interrupted = true;
            }
            catch (LineTooLongException e)
            {
                failures.Add(e.LineNumber, e);
            }

            // Every append in flight is answered, and its acknowledgement printed, before the log shuts down.
            for (var i = 0; i < MaxInFlight; i++)
            {
                await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (failures.First is { } first)
        {
            var (line, error) = first;
            var message = error is LineTooLongException ? error.Message : $"line {line}: {error.Message}";
            await Console.Error.WriteLineAsync(CommandFailure.OneLine($"walactors: error: {message}")).ConfigureAwait(false);
            return ExitCodes.For(error);
        }

        return interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;

        async Task AcknowledgeAsync(long lineNumber, Task<Lsn> append, AcknowledgementPrinter printer)
        {
            try
            {
                printer.Print($"{lineNumber} {await append.ConfigureAwait(false)}");
            }
            catch (WalException e)
            {
                failures.Add(lineNumber, e);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
