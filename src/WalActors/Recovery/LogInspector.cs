using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>Read-only checks of a log on disk: safe while another process writes it, and never modifies anything.</summary>
public static class LogInspector
{
    /// <summary>
    /// Scans every record of the log in <paramref name="directory"/>, validating checksums, and classifies its end. While
    /// another process writes the log, it judges only what that writer reports durable: records past it are in flight.
    /// </summary>
    /// <exception cref="NotAWalLogException">The directory does not hold a WalActors log.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    /// <exception cref="LogDamagedException">A segment file is missing, misnamed or of the wrong size.</exception>
    public static LogInspection Inspect(string directory)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var live = LiveStatus.ReadLive(store.Directory);
        var options = LogOpener.ReadOnlyOptions(store, new WalOptions().ToRecoveryOptions()) with { LiveWriter = live };
        var analysis = LogAnalyzer.Analyze(store, options, store.Directory);

        // With a writer at work, what lies past its durable end is still being written, not torn.
        var tail = analysis.IsDamaged ? LogTail.Damaged : analysis.HasTornTail && live is null ? LogTail.Torn : LogTail.Clean;
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
            live is null ? analysis.TailBytes : 0,
            problem,
            live?.ProcessId,
            live is null ? null : new Lsn(live.DurableEnd));
    }
}
