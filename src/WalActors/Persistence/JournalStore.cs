using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Persistence.Compaction;
using WalActors.Persistence.Index;

namespace WalActors.Persistence;

/// <summary>
/// One journal's log and index, shared by its <see cref="WalJournal"/> actor (across restarts) and its read journals.
/// Starts the log, loads the index (its last checkpoint, then a scan of the log written after it), appends atomic writes
/// and reads events back by position.
/// </summary>
internal sealed class JournalStore
{
    // Events read per chunk of a replay or query; the size of a read of one record whose length is not known; and the
    // most one read of back-to-back events asks for.
    private const int ReadChunkEvents = 256;
    private const int FirstReadBytes = 4096;
    private const int MaxRunBytes = 1024 * 1024;
    private const int ScanBatchRecords = 16384;
    private readonly ILoggingAdapter _log;
    private ReaderAttached? _lent;
    private long _bytesRead;

    public JournalStore(ActorSystem system, string pluginId, WalOptions options, int maxConcurrentReplays, CompactionSettings compaction, IndexSettings index)
    {
        PluginId = pluginId;
        Options = options;
        IndexSettings = index;
        _log = Akka.Event.Logging.GetLogger(system, ActorName(pluginId));
        ReplayPermits = new SemaphoreSlim(maxConcurrentReplays, maxConcurrentReplays);
        Index = new JournalIndex();
        Writer = new JournalWriter(this);
        Log = WriteAheadLog.Start(system, options, ActorName(pluginId));
        Client = new WalClient(system, Log);
        Checkpointer = index.Persisted ? new IndexCheckpointer(Index, PayloadCrcAt, index, options.SyncMode == SyncMode.None, _log) : null;
        Ready = BuildIndexAsync();
        var liveness = new JournalLiveness(Index);
        Compactor = new PluginCompactor(Log, () => Index.Usage, compaction, liveness.IsLive, _log, liveness.SegmentDone);
        Compactor.StartWhen(Ready);
        Checkpointer?.StartWhen(Ready);

        // The last checkpoint needs the log still running (it reads its check record back), and the log stops in
        // the phase after this one; writes made after it are found by the next start-up's scan.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseClusterShutdown, "walactors-index-" + ActorName(pluginId), () =>
        {
            if (Ready.IsCompletedSuccessfully)
            {
                Checkpointer?.CheckpointNow();
            }

            return Task.FromResult(Akka.Done.Instance);
        });
        system.RegisterOnTermination(() =>
        {
            Compactor.Dispose();
            Checkpointer?.Dispose();
            Index.Persisted?.Dispose();
        });
    }

    /// <summary>The bytes replays and queries have read from the log's store, by position, since the journal started.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Where and whether the index is kept on disk.</summary>
    public IndexSettings IndexSettings { get; }

    /// <summary>Takes the index's checkpoints (null when the index is not persisted).</summary>
    public IndexCheckpointer? Checkpointer { get; }

    /// <summary>How the start-up found the persisted index: used, rebuilt (and why), or not persisted.</summary>
    public string IndexStartup { get; private set; } = "not started";

    /// <summary>Compacts the journal's log, by itself and on demand (<see cref="CompactLog"/>).</summary>
    public PluginCompactor Compactor { get; }

    public string PluginId { get; }

    public WalOptions Options { get; }

    public IActorRef Log { get; }

    public WalClient Client { get; }

    public JournalIndex Index { get; }

    /// <summary>Appends the journal's atomic writes; one for the journal's life, so a restarted journal actor keeps their order.</summary>
    public JournalWriter Writer { get; }

    /// <summary>How many replays may read at once (<c>max-concurrent-replays</c>).</summary>
    public SemaphoreSlim ReplayPermits { get; }

    /// <summary>Completes once the log has recovered and the index holds every record in it; faults if either fails.</summary>
    public Task Ready { get; }

    /// <summary>
    /// What readers may see: what is durable, or with sync-mode none (where nothing waits for a barrier) what is written,
    /// since that is what the journal acknowledges then.
    /// </summary>
    public Durability ReadLevel => Options.SyncMode == SyncMode.None ? Durability.Written : Durability.Durable;

    /// <summary>The name of the log's actor: one per journal plugin id, so several journals can live in one system.</summary>
    public static string ActorName(string pluginId)
    {
        var chars = pluginId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return "walactors-journal-" + new string(chars);
    }

    /// <summary>The position just past a record with <paramref name="payloadLength"/> bytes at <paramref name="lsn"/>.</summary>
    public static long EndOf(Lsn lsn, int payloadLength) => lsn.Value + FrameCodec.FrameSize(payloadLength);

    /// <summary>Decodes an event record read back from the log.</summary>
    /// <exception cref="JournalFormatException">The record is not a readable event.</exception>
    public JournalEvent DecodeEvent(WalRecord record)
    {
        try
        {
            return JournalRecordCodec.DecodeEvent(record.Payload);
        }
        catch (InvalidDataException e)
        {
            throw new JournalFormatException(PluginId, record.Lsn.Value, e.Message);
        }
    }

    /// <summary>
    /// Reads the records of <paramref name="events"/> (in LSN order) straight from the log's store, by position: each is an
    /// acknowledged event the index holds, so it is durable and its batch whole, and no round trip through the log is
    /// needed. The index knows each record's length: a run of events that lie back to back is one read of exactly
    /// their bytes, so a replay reads what it replays and no more.
    /// </summary>
    /// <exception cref="JournalFormatException">An indexed event does not read back as a record there.</exception>
    /// <exception cref="WalStoppedException">The log has stopped.</exception>
    public async IAsyncEnumerable<WalRecord> ReadAsync(IReadOnlyList<IndexedEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var store = await LendStoreAsync(cancellationToken).ConfigureAwait(false);
        for (var start = 0; start < events.Count; start += ReadChunkEvents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in ReadChunk(store, events, start, Math.Min(events.Count, start + ReadChunkEvents)))
            {
                yield return record;
            }
        }
    }

    private List<WalRecord> ReadChunk(ReaderAttached store, IReadOnlyList<IndexedEvent> events, int start, int end)
    {
        var found = new List<WalRecord>(end - start);
        try
        {
            using var scanner = new RecordScanner(store.Store, events[start].Lsn, long.MaxValue, store.MaxRecordSize, RecordScanner.DefaultBufferSize, RunBytes(events, start, end));
            for (var i = start; i < end; i++)
            {
                var lsn = events[i].Lsn;
                if (scanner.Position != lsn)
                {
                    scanner.Seek(lsn, RunBytes(events, i, end));
                }

                var status = scanner.Next(out var record);
                if (status != ScanStatus.Record || record.Lsn != lsn)
                {
                    throw new JournalFormatException(PluginId, lsn, status == ScanStatus.Record
                        ? "the index points between records"
                        : $"an indexed event does not read back ({RecoveryFault(scanner.Fault)})");
                }

                found.Add(new WalRecord(new Lsn(lsn), record.Payload.ToArray(), new Lsn(record.End)));
            }

            Interlocked.Add(ref _bytesRead, scanner.BytesRead);
        }
        catch (ObjectDisposedException)
        {
            throw new WalStoppedException();
        }

        return found;
    }

    // The bytes of the events from `first` on that lie back to back in the log (a 4 KiB guess for one of unknown length).
    private static int RunBytes(IReadOnlyList<IndexedEvent> events, int first, int end)
    {
        if (events[first].Length <= 0)
        {
            return FirstReadBytes;
        }

        long bytes = events[first].Length;
        for (var i = first + 1; i < end && events[i].Lsn == events[i - 1].Lsn + events[i - 1].Length && bytes + events[i].Length <= MaxRunBytes; i++)
        {
            bytes += events[i].Length;
        }

        return (int)bytes;
    }

    private static string RecoveryFault(FrameFault fault) => Recovery.LogRecovery.DescribeFault(fault);

    private async Task<ReaderAttached> LendStoreAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lent) is { } lent)
        {
            return lent;
        }

        var attached = await Log.Ask<ReaderAttached>(LendStore.Instance, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lent, attached);
        return attached;
    }

    private async Task BuildIndexAsync()
    {
        var report = await Client.Ready.ConfigureAwait(false);
        if (report.SegmentSize > 0)
        {
            Index.Usage = new SegmentUsage(report.SegmentSize);
        }

        var status = await Client.GetStatusAsync().ConfigureAwait(false);
        var position = IndexSettings.Persisted ? await OpenPersistedIndexAsync(status).ConfigureAwait(false) : status.Head;
        var pool = new StringPool();
        var tags = new List<string>();
        var reading = Client.ReadAsync(position, ScanBatchRecords, ReadLevel);
        while (true)
        {
            var result = await reading.ConfigureAwait(false);
            if (result.Records.Count == 0)
            {
                // Past what is not a record (a clean close's marker): the first write lands after it, and the indexed
                // end must be where that write starts.
                position = result.Next.Value > position.Value ? result.Next : position;
                break;
            }

            // Read the next batch while this one is indexed.
            reading = Client.ReadAsync(result.Next, ScanBatchRecords, ReadLevel);
            foreach (var record in result.Records)
            {
                IndexRecord(record, pool, tags);
            }

            // A rebuild holds the log's events in memory until the checkpointer, once ready, writes them away in
            // slices: writing them to disk during the scan made a 10 M-event start-up several times longer.
            position = result.Next;
        }

        Index.CompleteScan(position.Value);
    }

    // Opens the persisted index and says where the scan starts: at its checkpoint's covered end when the checkpoint
    // belongs to this log, else (rebuilt empty) at the head.
    private async Task<Lsn> OpenPersistedIndexAsync(WalStatus status)
    {
        var directory = Path.Combine(Options.Directory, IndexSettings.DirectoryName);
        var persisted = PersistedIndex.Open(directory, out var problem);
        var checkpoint = problem is null ? persisted.ReadCheckpoint(out problem) : null;
        if (checkpoint is not null)
        {
            await LendStoreAsync(CancellationToken.None).ConfigureAwait(false);
            problem = Mismatch(checkpoint, status);
        }

        if (checkpoint is not null && problem is null)
        {
            try
            {
                Index.Restore(persisted, checkpoint);
                IndexStartup = $"used its checkpoint at {checkpoint.CoveredEnd}";
                return new Lsn(checkpoint.CoveredEnd);
            }
            catch (InvalidDataException e)
            {
                problem = e.Message;
            }
        }

        // A new journal's empty index holds no checkpoint: nothing to warn about. Anything else is a checkpoint lost.
        var isNew = checkpoint is null && problem == PersistedIndex.NoCheckpoint;
        if (!isNew)
        {
            _log.Warning("The journal index in {0} is not used ({1}): it is rebuilt from the log.", directory, problem);
        }

        persisted.Reset();
        Index.AttachEmpty(persisted);
        IndexStartup = $"rebuilt: {problem}";
        return status.Head;
    }

    // Why a checkpoint does not belong to the log beside it, or null when it does.
    private string? Mismatch(IndexCheckpoint checkpoint, WalStatus status)
    {
        if (checkpoint.CoveredEnd > status.WrittenEnd.Value)
        {
            return $"it covers the log to {checkpoint.CoveredEnd}, the log ends at {status.WrittenEnd.Value}";
        }

        if (checkpoint.CoveredEnd < status.Head.Value)
        {
            return $"it covers the log to {checkpoint.CoveredEnd}, the log starts at {status.Head.Value}";
        }

        if (checkpoint.CheckLsn < 0)
        {
            return null;
        }

        if (PayloadCrcAt(checkpoint.CheckLsn) is { } crc)
        {
            return crc == checkpoint.CheckCrc ? null : $"the record at {checkpoint.CheckLsn} is not the one it indexed (another or a restored log)";
        }

        // Compaction dropped the record (it was a deleted event): its position is now a hole of a compacted segment,
        // which a replaced log would not have there.
        return _lent!.Store.DataAtOrAfter(checkpoint.CheckLsn) > checkpoint.CheckLsn
            ? null
            : $"there is no record at {checkpoint.CheckLsn}, where it indexed one";
    }

    // The CRC-32 of the payload of the record at `lsn`, or null when none is there or the log stopped.
    private uint? PayloadCrcAt(long lsn)
    {
        try
        {
            var lent = LendStoreAsync(CancellationToken.None).GetAwaiter().GetResult();
            using var scanner = new RecordScanner(lent.Store, lsn, long.MaxValue, lent.MaxRecordSize, RecordScanner.DefaultBufferSize, FirstReadBytes);
            return scanner.Next(out var record) == ScanStatus.Record && record.Lsn == lsn ? Crc32.HashToUInt32(record.Payload.Span) : null;
        }
        catch (Exception e) when (e is ObjectDisposedException or AskTimeoutException or WalStoppedException)
        {
            return null;
        }
    }

    private void IndexRecord(WalRecord record, StringPool pool, List<string> tags)
    {
        try
        {
            var bytes = record.Payload.Span;
            switch (JournalRecordCodec.KindOf(bytes))
            {
                case JournalRecordKind.Event:
                    JournalRecordCodec.ReadEventKey(bytes, pool, tags, out var persistenceId, out var sequenceNr);
                    Index.AddScanned(persistenceId, sequenceNr, record.Lsn.Value, record.Next.Value - record.Lsn.Value, tags);
                    break;
                case JournalRecordKind.Tombstone:
                    Index.AddScanned(JournalRecordCodec.DecodeTombstone(bytes, pool), record.Lsn.Value, record.Next.Value - record.Lsn.Value);
                    break;
            }
        }
        catch (InvalidDataException e)
        {
            throw new JournalFormatException(PluginId, record.Lsn.Value, e.Message);
        }
    }
}
