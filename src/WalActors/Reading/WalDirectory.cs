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
    /// Every registered consumer of the log in <paramref name="directory"/>, by name, with its latest commit and how far it
    /// is behind. Read-only, like <see cref="Inspect"/> (one scan of the log, which is where commits are): safe while
    /// another process writes the log, whose durable end the lag is then measured to.
    /// </summary>
    /// <exception cref="NotAWalLogException">The directory does not hold a WalActors log.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    /// <exception cref="LogDamagedException">A segment file is missing or of the wrong size, or a commit frame does not decode.</exception>
    public static IReadOnlyList<ConsumerLag> Consumers(string directory)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var live = LiveStatus.ReadLive(store.Directory);
        var options = LogOpener.ReadOnlyOptions(store, Defaults) with { LiveWriter = live };
        var analysis = LogAnalyzer.Analyze(store, options, store.Directory);
        // Measured to the last record, so a consumer that has processed everything shows no lag for the frames after it.
        var end = Math.Min(live?.DurableEnd ?? long.MaxValue, analysis.RecordsEnd);
        var consumers = analysis.Consumers.Values.OrderBy(c => c.Commit.Next).ToList();
        var behind = RecordsFrom([.. consumers.Select(c => c.Commit.Next)], end, store, options.MaxRecordSize);
        return [.. consumers
            .Select((c, i) => new ConsumerLag(
                new ConsumerPosition(c.Commit.Name, new Lsn(c.Commit.Next), c.Commit.Lossy, new Lsn(c.Lsn)), new Lsn(end), Math.Max(0, end - c.Commit.Next), behind[i]))
            .OrderBy(c => c.Consumer.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// For each of <paramref name="starts"/> (in increasing order), how many records lie from it to <paramref name="end"/>:
    /// one read from the lowest, each record counted for every start at or below it.
    /// </summary>
    private static long[] RecordsFrom(long[] starts, long end, SegmentedStore store, int maxRecordSize)
    {
        // between[i]: records in [starts[i], starts[i + 1]); a suffix sum then gives each start its count.
        var between = new long[starts.Length];
        if (starts.Length == 0 || starts[0] >= end)
        {
            return between;
        }

        using var reader = new CompleteRecordReader(store, Math.Max(starts[0], store.Head), end, maxRecordSize);
        var slot = 0;
        while (reader.Next(out var record) == ScanStatus.Record)
        {
            while (slot + 1 < starts.Length && starts[slot + 1] <= record.Lsn)
            {
                slot++;
            }

            between[slot]++;
        }

        for (var i = starts.Length - 2; i >= 0; i--)
        {
            between[i] += between[i + 1];
        }

        return between;
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
