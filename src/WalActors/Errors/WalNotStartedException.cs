namespace WalActors;

/// <summary>
/// An <see cref="IWalClient"/> has no log to talk to: none was started under its name (for example
/// <c>AddWalClient("NAME")</c> without <c>WithWriteAheadLog("NAME")</c>), or the actor system stopped before one was.
/// </summary>
public sealed class WalNotStartedException : WalException
{
    /// <summary>Creates the error, saying what is missing.</summary>
    public WalNotStartedException(string reason)
        : base(reason)
    {
    }
}
