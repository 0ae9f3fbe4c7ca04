namespace WalActors;

/// <summary>A read asked to start at a position that is not the start of a record.</summary>
public sealed class InvalidLsnException : WalException
{
    /// <summary>Creates the error for <paramref name="lsn"/>, saying why it is refused.</summary>
    public InvalidLsnException(long lsn, string reason)
        : base($"LSN {lsn} is not the start of a record: {reason}.")
    {
        Lsn = lsn;
    }

    /// <summary>The position that was refused.</summary>
    public long Lsn { get; }
}
