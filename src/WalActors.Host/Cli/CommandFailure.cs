using System.CommandLine;

namespace WalActors.Host.Cli;

/// <summary>
/// Runs a command's body so that whatever ends it early is one line on stderr and the exit code of
/// <see cref="ExitCodes"/>, never a stack trace: a user's mistake, a log that cannot be used, and a bug alike.
/// </summary>
internal static class CommandFailure
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>, guarded.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, int> body) =>
        command.SetAction(result => Guard(result, () => body(result)));

    /// <summary>Sets <paramref name="body"/> as the asynchronous action of <paramref name="command"/>, guarded.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (result, cancellation) =>
        {
            try
            {
                return await body(result, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            catch (Exception e)
            {
                return Report(result, e);
            }
        });

    /// <summary>The one-line message for <paramref name="error"/>, with the help hint a usage error gets.</summary>
    public static string Describe(ParseResult result, Exception error)
    {
        var cause = error is WalFaultedException { InnerException: WalException inner } ? inner : error;
        var message = OneLine(cause.Message);
        return ExitCodes.For(cause) switch
        {
            ExitCodes.Usage => $"walactors: error: {message} {UsageErrors.Hint(result)}",
            ExitCodes.Bug => $"walactors: error: unexpected {cause.GetType().Name}: {message} (a bug in walactors; please report it)",
            _ => $"walactors: error: {message}",
        };
    }

    /// <summary>Collapses a message's lines into one: a report must stay one line even when an operating-system error spans several.</summary>
    public static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static int Guard(ParseResult result, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Report(result, e);
        }
    }

    private static int Report(ParseResult result, Exception error)
    {
        Console.Error.WriteLine(Describe(result, error));
        return ExitCodes.For(error);
    }
}
