namespace WalActors;

/// <summary>The log has been shut down (or is shutting down) and accepts no more appends.</summary>
public sealed class WalStoppedException : WalException
{
    /// <summary>Creates the error.</summary>
    public WalStoppedException()
        : base("The log has been shut down and accepts no appends.")
    {
    }
}
