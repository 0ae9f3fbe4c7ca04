namespace WalActors.Host.Cli;

/// <summary>
/// The exit codes every walactors command uses, so a script reads the same number the same way whichever command it
/// ran: a command that reads a whole log (inspect, verify, dump, tail) exits with the log's verdict.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did its work; a log it read ends cleanly.</summary>
    public const int Ok = 0;

    /// <summary>The log ends in a torn tail: the remains of a write a crash interrupted, cut off by the next open. Every record before it was read.</summary>
    public const int TornTail = 1;

    /// <summary>A bad option, value or input: unknown option, bad value, missing --dir, an LSN the log does not hold, an input line over the record limit.</summary>
    public const int Usage = 2;

    /// <summary>The log is damaged: a record that could have been acknowledged is invalid.</summary>
    public const int Damage = 3;

    /// <summary>The log cannot be used: not a log, a file, unreadable, in use by another process, or faulted by an I/O error.</summary>
    public const int Unusable = 4;

    /// <summary>An error walactors did not expect: a bug, reported in one line all the same.</summary>
    public const int Bug = 70;

    /// <summary>Ctrl+C or SIGTERM ended the command after it finished what was in flight.</summary>
    public const int Interrupted = 130;

    /// <summary>The table as the root help and the README show it.</summary>
    public const string Table = """
        Exit codes (the same for every command):
          0    ok (a log that was read ends cleanly)
          1    torn tail: the log ends in an interrupted write, which the next open cuts off
          2    usage: unknown option, bad value, missing --dir, an LSN the log does not hold
          3    damage: a record that could have been acknowledged is invalid
          4    not a log, a file, unreadable, in use by another process, or an I/O error
          70   a bug in walactors (please report it)
          130  interrupted by Ctrl+C or SIGTERM
        """;

    /// <summary>The exit code for a command that ended with <paramref name="error"/>.</summary>
    public static int For(Exception error) => error switch
    {
        UsageException or InvalidLsnException or LogTruncatedException or RecordTooLargeException => Usage,
        LogDamagedException => Damage,
        WalFaultedException { InnerException: WalException cause } => For(cause),
        WalException or IOException or UnauthorizedAccessException => Unusable,
        _ => Bug,
    };

    /// <summary>The exit code for a log that was read to its end: its verdict.</summary>
    public static int For(LogTail tail) => tail switch
    {
        LogTail.Torn => TornTail,
        LogTail.Damaged => Damage,
        _ => Ok,
    };
}
