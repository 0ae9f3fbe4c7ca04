namespace WalActors.Persistence;

/// <summary>Sent by the journal to itself: append the atomic writes queued since the last flush.</summary>
internal sealed class FlushWrites
{
    public static readonly FlushWrites Instance = new();

    private FlushWrites()
    {
    }
}
