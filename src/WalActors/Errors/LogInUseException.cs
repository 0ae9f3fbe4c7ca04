namespace WalActors;

/// <summary>
/// Another process, or another open in this process, already holds the log's exclusive lock.
/// </summary>
public sealed class LogInUseException : WalException
{
    /// <summary>Creates the error for the log at <paramref name="path"/>.</summary>
    public LogInUseException(string path, Exception? innerException = null)
        : base($"The log at '{path}' is in use by another process or another open in this process.", innerException)
    {
        Path = path;
    }

    /// <summary>The log directory or file that is in use.</summary>
    public string Path { get; }
}
