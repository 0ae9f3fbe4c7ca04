namespace WalActors.Storage;

/// <summary>
/// One page that writes cover only in part, kept in memory: the bytes every write contributed so far, and how many.
/// Its own lock orders the writes of the page, so each one carries the union of what was contributed before it.
/// </summary>
internal sealed class BoundaryPage
{
    public BoundaryPage(int pageSize)
    {
        Buffer = new byte[pageSize];
    }

    public Lock Gate { get; } = new();

    /// <summary>The page's bytes: what writes contributed, zeros (or, for a page loaded from the file, its bytes) elsewhere.</summary>
    public byte[] Buffer { get; }

    /// <summary>Which page this is: its start offset in the log.</summary>
    public long Start { get; private set; }

    /// <summary>Whether <see cref="Buffer"/> must be read from the file before the first contribution is copied in.</summary>
    public bool MustLoad { get; private set; }

    /// <summary>Whether <see cref="Buffer"/> holds the page as it starts: zeroed or read from the file.</summary>
    public bool Ready { get; set; }

    /// <summary>Bytes of the page known to be written (contributed, or loaded as part of the log); the page is done at its size.</summary>
    public int Contributed { get; set; }

    /// <summary>Set, under <see cref="Gate"/>, once the page left the map: a writer that finds it so looks the page up again.</summary>
    public bool Retired { get; set; }

    /// <summary>Prepares a pooled (or new) page to stand for the page at <paramref name="start"/>.</summary>
    public void Reset(long start, bool mustLoad, int contributed)
    {
        Start = start;
        MustLoad = mustLoad;
        Contributed = contributed;
        Ready = false;
        Retired = false;
    }
}
