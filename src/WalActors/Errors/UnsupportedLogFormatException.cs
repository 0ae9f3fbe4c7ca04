namespace WalActors;

/// <summary>
/// The log was written in a format version newer than this build understands; it was not modified.
/// </summary>
public sealed class UnsupportedLogFormatException : WalException
{
    /// <summary>Creates the error for a log at <paramref name="path"/> found in <paramref name="foundVersion"/>.</summary>
    public UnsupportedLogFormatException(string path, int foundVersion, int supportedVersion)
        : base($"The log at '{path}' uses format version {foundVersion}; this build reads up to version {supportedVersion}. " +
               "Upgrade WalActors to open it. Nothing was modified.")
    {
        Path = path;
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The log that was refused.</summary>
    public string Path { get; }

    /// <summary>The format version found in the log.</summary>
    public int FoundVersion { get; }

    /// <summary>The newest format version this build reads.</summary>
    public int SupportedVersion { get; }
}
