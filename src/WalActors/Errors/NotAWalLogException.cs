namespace WalActors;

/// <summary>
/// The path holds something other than a WalActors log; it was left exactly as it was found.
/// </summary>
public sealed class NotAWalLogException : WalException
{
    /// <summary>Creates the error for <paramref name="path"/>, saying why it was not recognised.</summary>
    public NotAWalLogException(string path, string reason)
        : base($"'{path}' is not a WalActors log: {reason}. Nothing was modified.")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file or directory that was refused.</summary>
    public string Path { get; }

    /// <summary>Why it was not recognised as a log.</summary>
    public string Reason { get; }
}
