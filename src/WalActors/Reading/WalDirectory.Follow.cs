using System.Runtime.CompilerServices;
using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>Following a log that another process writes.</summary>
public static partial class WalDirectory
{
    private const int MaxBatch = 4096;
    private static readonly TimeSpan SafetyCheck = TimeSpan.FromSeconds(1);

    /// <summary>Every record from <paramref name="from"/> (the head by default), then each new one as it is written, until cancelled.</summary>
    /// <remarks>
    /// Across processes there is no durability actor to hear from, so the follower wakes on file-system change
    /// notifications (inotify on Linux) and reads every complete, valid record written so far. It therefore sees records
    /// once they are written; whether they are durable yet is up to the writer's durability level. A one-second safety
    /// check covers notifications the operating system drops. A record that does not validate where the writer reports the
    /// log durable (or below the end of its last clean close) is damage, not a record still being written: the follower
    /// fails with <see cref="LogDamagedException"/> instead of waiting for ever.
    /// </remarks>
    /// <exception cref="NotAWalLogException">The directory does not hold a WalActors log.</exception>
    /// <exception cref="LogTruncatedException">Retention in the writing process dropped records before they were read.</exception>
    /// <exception cref="LogDamagedException">The follower reached a record that was durable and does not validate.</exception>
    public static async IAsyncEnumerable<WalRecord> Follow(string directory, Lsn? from = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var maxRecordSize = LogOpener.ReadOnlyOptions(store, Defaults).MaxRecordSize;
        using var changed = new SemaphoreSlim(0, 1);
        using var watcher = new FileSystemWatcher(store.Directory)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
        };
        FileSystemEventHandler wake = (_, _) => Signal(changed);
        watcher.Changed += wake;
        watcher.Created += wake;
        watcher.Deleted += wake;
        watcher.EnableRaisingEvents = true;

        var position = from?.Value ?? store.Head;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            store.Refresh();
            if (position < store.Head)
            {
                throw new LogTruncatedException(position, store.Head);
            }

            var (batch, stoppedAt, stoppedOnInvalid) = ReadAvailable(store, position, maxRecordSize, first);
            foreach (var record in batch)
            {
                position = record.Next.Value;
                first = false;
                yield return record;
            }

            if (stoppedOnInvalid && KnownDurableEnd(store) is var durable && stoppedAt < durable)
            {
                throw new LogDamagedException(store.Directory, stoppedAt,
                    $"the record there does not validate, yet the log is known durable up to LSN {durable}");
            }

            if (batch.Count >= MaxBatch)
            {
                continue;
            }

            try
            {
                await changed.WaitAsync(SafetyCheck, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>How far the log is known durable: by its live writer's published status, or by its last clean close.</summary>
    private static long KnownDurableEnd(SegmentedStore store) =>
        Math.Max(LiveStatus.ReadLive(store.Directory)?.DurableEnd ?? 0, store.Properties.GetValueOrDefault(LogOpener.ClosedAtProperty));

    /// <summary>The complete records from <paramref name="position"/> on; where and why the read stopped (past any markers).</summary>
    private static (List<WalRecord> Records, long StoppedAt, bool StoppedOnInvalid) ReadAvailable(SegmentedStore store, long position, int maxRecordSize, bool first)
    {
        var records = new List<WalRecord>();
        using var reader = new CompleteRecordReader(store, position, store.Length, maxRecordSize);
        while (true)
        {
            var status = reader.Next(out var record);
            if (status != ScanStatus.Record)
            {
                // Zeros or a record still being written: wait for the writer. Only a bad first position is an error.
                if (first && records.Count == 0 && status == ScanStatus.Invalid && reader.Fault is not FrameFault.Zeros and not FrameFault.Short
                    && !TailBytes.IsStaleFrameAt(store, position, maxRecordSize))
                {
                    throw new InvalidLsnException(position, "no valid record starts there");
                }

                return (records, reader.Position, status == ScanStatus.Invalid);
            }

            records.Add(new WalRecord(new Lsn(record.Lsn), record.Payload.ToArray(), new Lsn(record.End)));
            if (records.Count >= MaxBatch)
            {
                return (records, reader.Position, false);
            }
        }
    }

    private static void Signal(SemaphoreSlim changed)
    {
        if (changed.CurrentCount == 0)
        {
            try
            {
                changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification got there first: one wake-up is enough.
            }
        }
    }
}
