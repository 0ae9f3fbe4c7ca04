namespace WalActors.Host;

/// <summary>Runs a command body so that a user's mistake ends as one clear line on stderr and a non-zero exit code, never a stack trace.</summary>
internal static class CommandFailure
{
    /// <summary>The exit code for a command that could not do its work (bad directory, log in use, bad argument).</summary>
    public const int ExitCode = 3;

    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is WalException or ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"walactors: error: {e.Message}");
            return ExitCode;
        }
    }

    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WalException or ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            await Console.Error.WriteLineAsync($"walactors: error: {e.Message}").ConfigureAwait(false);
            return ExitCode;
        }
    }
}
