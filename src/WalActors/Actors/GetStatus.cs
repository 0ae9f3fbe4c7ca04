namespace WalActors;

/// <summary>Asks the log for a <see cref="WalStatus"/>.</summary>
public sealed class GetStatus
{
    /// <summary>The one instance.</summary>
    public static readonly GetStatus Instance = new();

    private GetStatus()
    {
    }
}
