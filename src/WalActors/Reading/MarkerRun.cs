using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors.Reading;

/// <summary>
/// Whether a position is a frame start that holds no records until another: the log's markers and consumers' standalone
/// commits are frames but not records,
/// so a reader told to start at one (a record's <see cref="WalRecord.Next"/> before a clean close) finds its first record
/// later, and that is not a bad start.
/// </summary>
internal static class MarkerRun
{
    /// <summary>Whether only markers (and commit frames) lie in [<paramref name="from"/>, <paramref name="to"/>) of the log in <paramref name="directory"/>, each where the one before ends.</summary>
    public static bool OnlyMarkersBetween(string directory, long from, long to)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var options = LogOpener.ReadOnlyOptions(store, new WalOptions().ToRecoveryOptions());
        using var scanner = new RecordScanner(store, from, to, options.MaxRecordSize);
        while (scanner.Position < to)
        {
            if (scanner.Next(out var frame) != ScanStatus.Record || frame.Kind is not (FrameKind.Marker or FrameKind.Commit))
            {
                return false;
            }
        }

        return scanner.Position == to;
    }
}
