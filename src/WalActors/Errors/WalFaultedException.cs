namespace WalActors;

/// <summary>
/// The log is faulted: a write or barrier failed, or recovery refused it. The append was not acknowledged;
/// reopen the log to recover a consistent prefix.
/// </summary>
public sealed class WalFaultedException : WalException
{
    /// <summary>Creates the error with the failure that faulted the log.</summary>
    public WalFaultedException(Exception cause)
        : base($"The log is faulted and accepts no appends until reopened: {cause.Message}", cause)
    {
    }
}
