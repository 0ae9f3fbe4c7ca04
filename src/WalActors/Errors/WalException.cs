namespace WalActors;

/// <summary>
/// The base of every error WalActors raises on purpose: catch it to handle any log failure in one place.
/// </summary>
public abstract class WalException : Exception
{
    /// <summary>Creates the error with a message and, optionally, the error that caused it.</summary>
    protected WalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
