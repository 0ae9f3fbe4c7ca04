namespace WalActors;

/// <summary>An append request is malformed (for example an empty batch); nothing of it was written.</summary>
public sealed class InvalidAppendException : WalException
{
    /// <summary>Creates the error, saying what is wrong with the request.</summary>
    public InvalidAppendException(string reason)
        : base(reason)
    {
    }
}
