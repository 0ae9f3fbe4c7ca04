using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>Read-only checks of a log on disk: safe while another process writes it, and never modifies anything.</summary>
public static class LogInspector
{
    /// <summary>Scans every record of the log in <paramref name="directory"/>, validating checksums, and classifies its end.</summary>
    /// <exception cref="NotAWalLogException">The directory does not hold a WalActors log.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    public static LogInspection Inspect(string directory)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var options = LogOpener.ReadOnlyOptions(store, new WalOptions().ToRecoveryOptions());
        var analysis = LogAnalyzer.Analyze(store, options, store.Directory);
        var tail = analysis.IsDamaged ? LogTail.Damaged : analysis.HasTornTail ? LogTail.Torn : LogTail.Clean;
        var problem = tail switch
        {
            LogTail.Damaged => LogRecovery.Describe(analysis),
            LogTail.Torn => LogRecovery.DescribeFault(analysis.Fault),
            _ => null,
        };
        return new LogInspection(
            store.Directory,
            store.SegmentSize,
            store.Segments,
            new Lsn(analysis.Head),
            new Lsn(analysis.End),
            analysis.RecordCount,
            tail,
            analysis.TailBytes,
            problem);
    }
}
