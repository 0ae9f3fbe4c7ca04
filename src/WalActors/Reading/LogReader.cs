using WalActors.Format;
using WalActors.Reading;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>Reads the records of a log on disk without opening it for writing: never takes the lock, never modifies anything.</summary>
public static class LogReader
{
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
    public static IEnumerable<WalRecord> ReadRecords(string directory, Lsn? from = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Enumerate(directory, from);
    }

    private static IEnumerable<WalRecord> Enumerate(string directory, Lsn? from)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var options = LogOpener.ReadOnlyOptions(store, new WalOptions().ToRecoveryOptions());
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

        if (first && reader.Fault is not FrameFault.None and not FrameFault.Zeros)
        {
            throw new InvalidLsnException(start, "no valid record starts there");
        }
    }
}
