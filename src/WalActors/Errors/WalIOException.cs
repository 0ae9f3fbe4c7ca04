namespace WalActors;

/// <summary>
/// The operating system refused a read, write, truncate or durability barrier on the log's storage.
/// </summary>
/// <remarks>
/// After a failed write or barrier the log is faulted: nothing past the failure is ever acknowledged,
/// and the data a failed barrier covered must be treated as lost until a reopen recovers it.
/// </remarks>
public sealed class WalIOException : WalException
{
    /// <summary>Creates the error for a failed storage operation.</summary>
    /// <param name="operation">What the store was doing, for example "writing a record".</param>
    /// <param name="path">The file or directory involved, when known.</param>
    /// <param name="innerException">The operating system's error.</param>
    /// <param name="isDiskFull">Whether the device ran out of space.</param>
    public WalIOException(string operation, string? path, Exception innerException, bool isDiskFull = false)
        : base(Describe(operation, path, innerException, isDiskFull), innerException)
    {
        Operation = operation;
        Path = path;
        IsDiskFull = isDiskFull;
    }

    /// <summary>What the store was doing when the error happened.</summary>
    public string Operation { get; }

    /// <summary>The file or directory involved, when known.</summary>
    public string? Path { get; }

    /// <summary>Whether the device ran out of space (ENOSPC).</summary>
    public bool IsDiskFull { get; }

    private static string Describe(string operation, string? path, Exception inner, bool isDiskFull)
    {
        var where = path is null ? string.Empty : $" ({path})";
        var why = isDiskFull ? "the disk is full" : inner.Message;
        return $"I/O error while {operation}{where}: {why}";
    }
}
