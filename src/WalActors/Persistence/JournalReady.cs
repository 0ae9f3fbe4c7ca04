namespace WalActors.Persistence;

/// <summary>The journal's index is ready (or failed to be): stashed requests may run.</summary>
internal sealed class JournalReady
{
    public static readonly JournalReady Instance = new();

    private JournalReady()
    {
    }
}
