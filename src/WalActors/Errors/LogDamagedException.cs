namespace WalActors;

/// <summary>
/// A record that could have been acknowledged fails validation: this is damage, not a torn tail.
/// </summary>
/// <remarks>
/// Recovery refuses such a log by default so that no acknowledged data is silently dropped. Opening it
/// with the salvage recovery policy keeps the valid prefix before <see cref="Lsn"/> and discards the rest.
/// </remarks>
public sealed class LogDamagedException : WalException
{
    /// <summary>Creates the error for damage found at <paramref name="lsn"/>.</summary>
    public LogDamagedException(string path, long lsn, string detail)
        : base($"The log at '{path}' is damaged at LSN {lsn}: {detail}. It was not modified; " +
               $"open it with recovery policy 'salvage' to keep the records before LSN {lsn} and drop the rest.")
    {
        Path = path;
        Lsn = lsn;
        Detail = detail;
    }

    /// <summary>The log that was refused.</summary>
    public string Path { get; }

    /// <summary>The log sequence number of the first record that failed validation.</summary>
    public long Lsn { get; }

    /// <summary>What was found wrong at <see cref="Lsn"/>.</summary>
    public string Detail { get; }
}
