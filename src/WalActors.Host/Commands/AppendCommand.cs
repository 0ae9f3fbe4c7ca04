using System.CommandLine;
using Akka.Actor;
using Akka.Configuration;
using WalActors.Host.Input;
using WalActors.Host.Output;

namespace WalActors.Host.Commands;

/// <summary><c>walactors append --dir DIR</c>: each line of standard input becomes one record; each acknowledgement is printed as it comes.</summary>
internal static class AppendCommand
{
    // Enough appends in flight for group commit to fill its barriers; a bound, so input faster than the disk waits.
    private const int MaxInFlight = 4096;

    // Standard output carries acknowledgements only. Every failure of the log reaches this command as a typed error,
    // which it reports in one line; the log's own account (with stack traces) would only repeat it.
    private const string SystemConfig = """
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """;

    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The log directory; a new log is created there if there is none.", Required = true };
        var durability = new Option<string>("--durability")
        {
            Description = "When a line counts as appended: durable, after a durability barrier (survives a power loss); " +
                          "or written, once handed to the operating system (survives a crash of this process, not a power loss).",
            DefaultValueFactory = _ => "durable",
        };
        durability.AcceptOnlyFromAmong("durable", "written");
        var command = new Command("append", """
            Append each line of standard input to the log as one record: the line's bytes, without its newline
            (a CR just before the LF is dropped too). Many appends are in flight at once. As each is acknowledged,
            "LINE_NUMBER LSN" (lines numbered from 1) is printed on standard output and flushed, in the order the
            acknowledgements arrive. At the end of the input it waits for every acknowledgement, shuts the log down
            cleanly and exits 0. A line that could not be appended ends the command: one line on standard error
            and exit code 3 (acknowledgements that came before it were printed). Ctrl+C or SIGTERM stops reading,
            waits for what is in flight, shuts the log down and exits 130.

            Examples:
              printf 'first\nsecond\n' | walactors append --dir ./wal-data
              tail -f app.log | walactors append --dir ./wal-data --durability written > acks.txt
            """)
        {
            dir,
            durability,
        };
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(() => RunAsync(
            result.GetValue(dir)!,
            result.GetValue(durability) == "written" ? Durability.Written : Durability.Durable,
            cancellation)));
        return command;
    }

    private static async Task<int> RunAsync(string directory, Durability durability, CancellationToken cancellation)
    {
        var options = WalOptions.FromConfig(WalConfig.Defaults.GetConfig(WalOptions.ConfigPath)) with { Directory = directory };
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        using var system = ActorSystem.Create("walactors", ConfigurationFactory.ParseString(SystemConfig).WithFallback(WalConfig.Defaults));
        var log = WriteAheadLog.Start(system, options);
        try
        {
            var client = new WalClient(system, log);
            var report = await ReadyAsync(client).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"walactors: recovered {Path.GetFullPath(directory)}: {report}").ConfigureAwait(false);
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
        string? failure = null;
        var interrupted = false;
        using var slots = new SemaphoreSlim(MaxInFlight);
        await using (var printer = new AcknowledgementPrinter(stdout))
        {
            try
            {
                while (Volatile.Read(ref failure) is null && await lines.ReadLineAsync(cancellation).ConfigureAwait(false) is { } line)
                {
                    await slots.WaitAsync(cancellation).ConfigureAwait(false);
                    _ = AcknowledgeAsync(lines.LineNumber, client.AppendAsync(line, durability), printer);
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                interrupted = true;
            }
            catch (FormatException e)
            {
                Interlocked.CompareExchange(ref failure, e.Message, null);
            }

            // Every append in flight is answered, and its acknowledgement printed, before the log shuts down.
            for (var i = 0; i < MaxInFlight; i++)
            {
                await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"walactors: error: {failure}").ConfigureAwait(false);
            return CommandFailure.ExitCode;
        }

        return interrupted ? 130 : 0;

        async Task AcknowledgeAsync(long lineNumber, Task<Lsn> append, AcknowledgementPrinter printer)
        {
            try
            {
                printer.Print($"{lineNumber} {await append.ConfigureAwait(false)}");
            }
            catch (WalException e)
            {
                Interlocked.CompareExchange(ref failure, $"line {lineNumber}: {e.Message}", null);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
