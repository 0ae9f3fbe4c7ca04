using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using WalActors.Host.Cli;

namespace WalActors.Host.Runtime;

/// <summary>
/// The Akka logger of the commands that run an actor system (demo, append): each event one line on stderr, so stdout
/// carries only the command's own output, and never a stack trace.
/// </summary>
/// <remarks>
/// An event caused by a <see cref="WalException"/> is not printed: that error reaches the command as the reason its
/// work failed, and the command reports it in its own one line; printing the log's account too would say it twice.
/// </remarks>
internal sealed class StderrLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private static void Write(LogEvent logEvent)
    {
        if (IsReportedByTheCommand(logEvent.Cause))
        {
            return;
        }

        var level = logEvent.LogLevel().ToString().Replace("Level", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var cause = logEvent.Cause is null ? string.Empty : $": {logEvent.Cause.GetType().Name}: {logEvent.Cause.Message}";
        Console.Error.WriteLine(CommandFailure.OneLine($"walactors: {level} [{logEvent.LogSource}] {logEvent.Message}{cause}"));
    }

    private static bool IsReportedByTheCommand(Exception? cause)
    {
        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is WalException)
            {
                return true;
            }
        }

        return false;
    }
}
