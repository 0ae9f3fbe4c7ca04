namespace WalActors;

/// <summary>
/// Asks for a durability barrier now. The reply, <see cref="Synced"/>, comes once everything acknowledged as
/// <see cref="Durability.Written"/> before this request is durable.
/// </summary>
public sealed class Sync
{
    /// <summary>The one instance.</summary>
    public static readonly Sync Instance = new();

    private Sync()
    {
    }
}
