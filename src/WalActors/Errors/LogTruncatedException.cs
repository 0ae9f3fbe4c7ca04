namespace WalActors;

/// <summary>
/// A read asked for a position that retention has already dropped from the front of the log.
/// </summary>
public sealed class LogTruncatedException : WalException
{
    /// <summary>Creates the error for a read at <paramref name="requested"/> below <paramref name="head"/>.</summary>
    public LogTruncatedException(long requested, long head)
        : base($"LSN {requested} has been truncated: the log now starts at LSN {head}.")
    {
        Requested = requested;
        Head = head;
    }

    /// <summary>The position that was asked for.</summary>
    public long Requested { get; }

    /// <summary>The lowest position the log still holds.</summary>
    public long Head { get; }
}
