namespace WalActors;

/// <summary>
/// A record (or an atomic batch) is larger than the log's configured maximum; nothing of it was written.
/// </summary>
public sealed class RecordTooLargeException : WalException
{
    /// <summary>Creates the error for <paramref name="size"/> bytes against a limit of <paramref name="limit"/>.</summary>
    public RecordTooLargeException(long size, long limit, string setting)
        : base($"A record of {size} bytes exceeds the limit of {limit} bytes (setting '{setting}').")
    {
        Size = size;
        Limit = limit;
        Setting = setting;
    }

    /// <summary>The size that was refused, in bytes.</summary>
    public long Size { get; }

    /// <summary>The configured limit, in bytes.</summary>
    public long Limit { get; }

    /// <summary>The configuration key that sets the limit.</summary>
    public string Setting { get; }
}
