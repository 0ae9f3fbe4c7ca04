using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>
/// A log on disk seen from outside the process that writes it: inspect it, read it, follow it, salvage it. Inspecting,
/// reading and following open it read-only, without the lock, and never modify anything, so they are safe while
/// another process writes the log; salvaging takes the lock.
/// </summary>
public static partial class WalDirectory
{
    // The limits a log that never recorded its own is judged by: the defaults a log is written with.
    private static RecoveryOptions Defaults => new WalOptions().ToRecoveryOptions();

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
        var options = LogOpener.ReadOnlyOptions(store, Defaults) with { LiveWriter = live };
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


    /// <summary>
    /// Every complete record from <paramref name="from"/> (a record boundary, or the head when default) to the end of the
    /// valid records, in LSN order. An unfinished atomic batch at the tail is not returned.
    /// </summary>
    /// <remarks>
    /// Lazy: the log is opened when enumeration starts and closed when it ends or is disposed, so a result that is never
    /// enumerated holds no file handle. The errors below are therefore thrown by the first <c>MoveNext</c>.
    /// </remarks>
    /// <exception cref="NotAWalLogException">The directory does not hold a WalActors log.</exception>
    /// <exception cref="LogTruncatedException"><paramref name="from"/> is below the log's head.</exception>
    /// <exception cref="InvalidLsnException"><paramref name="from"/> is not the start of a record.</exception>
    public static IEnumerable<WalRecord> Read(string directory, Lsn? from = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return ReadLazily(directory, from);
    }

    private static IEnumerable<WalRecord> ReadLazily(string directory, Lsn? from)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var options = LogOpener.ReadOnlyOptions(store, Defaults);
        var start = from?.Value ?? store.Head;
        if (start < store.Head)
        {
            throw new LogTruncatedException(start, store.Head);
        }

        using var reader = new CompleteRecordReader(store, start, store.Length, options.MaxRecordSize);
        var first = true;
        while (reader.Next(out var record) == ScanStatus.Record)
        {
            first = false;
            yield return new WalRecord(new Lsn(record.Lsn), record.Payload.ToArray(), new Lsn(record.End));
        }

        if (first && reader.Fault is not FrameFault.None and not FrameFault.Zeros && !TailBytes.IsStaleFrameAt(store, start, options.MaxRecordSize))
        {
            throw new InvalidLsnException(start, "no valid record starts there");
        }
    }
}
