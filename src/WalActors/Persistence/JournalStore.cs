using System.Runtime.CompilerServices;
using Akka.Actor;
using WalActors.Format;
using WalActors.Persistence.Compaction;

namespace WalActors.Persistence;

/// <summary>
/// One journal's log and index, shared by its <see cref="WalJournal"/> actor (across restarts) and its read journals.
/// Starts the log, rebuilds the index by scanning it, appends atomic writes and reads events back by position.
/// </summary>
internal sealed class JournalStore
{
    // One read covers at most this many records; a gap of more unrelated records than MaxGapRecords between two wanted
    // events starts a new read, since skipping that many costs more than one more round trip to the reader.
    private const int MaxReadRecords = 4096;
    private const int MaxGapRecords = 32;
    private const int ScanBatchRecords = 16384;

    public JournalStore(ActorSystem system, string pluginId, WalOptions options, int maxConcurrentReplays, CompactionSettings compaction)
    {
        PluginId = pluginId;
        Options = options;
        ReplayPermits = new SemaphoreSlim(maxConcurrentReplays, maxConcurrentReplays);
        Index = new JournalIndex();
        Log = WriteAheadLog.Start(system, options, ActorName(pluginId));
        Client = new WalClient(system, Log);
        Ready = BuildIndexAsync();
        var liveness = new JournalLiveness(Index);
        Compactor = new PluginCompactor(Log, () => Index.Usage, compaction, liveness.IsLive, Akka.Event.Logging.GetLogger(system, ActorName(pluginId)));
        Compactor.StartWhen(Ready);
        system.RegisterOnTermination(Compactor.Dispose);
    }

    /// <summary>Compacts the journal's log, by itself and on demand (<see cref="CompactLog"/>).</summary>
    public PluginCompactor Compactor { get; }

    public string PluginId { get; }

    public WalOptions Options { get; }

    public IActorRef Log { get; }

    public WalClient Client { get; }

    public JournalIndex Index { get; }

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

    /// <summary>Reads the records of <paramref name="events"/> (in LSN order), batching nearby ones into one read.</summary>
    public async IAsyncEnumerable<WalRecord> ReadAsync(IReadOnlyList<IndexedEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = 0;
        Task<List<WalRecord>>? next = null;
        while (start < events.Count || next is not null)
        {
            var current = next ?? ReadChunkAsync(events, start, out start, cancellationToken);
            next = start < events.Count ? ReadChunkAsync(events, start, out start, cancellationToken) : null;
            foreach (var record in await current.ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    private Task<List<WalRecord>> ReadChunkAsync(IReadOnlyList<IndexedEvent> events, int start, out int end, CancellationToken cancellationToken)
    {
        end = Index.PlanRead(events, start, MaxGapRecords, MaxReadRecords, out var records);
        return ReadChunkAsync(events, start, end, records, cancellationToken);
    }

    private async Task<List<WalRecord>> ReadChunkAsync(IReadOnlyList<IndexedEvent> events, int start, int end, int records, CancellationToken cancellationToken)
    {
        var found = new List<WalRecord>(end - start);
        var position = new Lsn(events[start].Lsn);
        var wanted = start;
        while (wanted < end)
        {
            // The count comes from the index; should a record in the range not be indexed yet, the read falls short
            // and the loop reads on from where it stopped.
            var result = await Client.ReadAsync(position, Math.Max(records, end - wanted), ReadLevel, cancellationToken).ConfigureAwait(false);
            foreach (var record in result.Records)
            {
                if (wanted < end && record.Lsn.Value == events[wanted].Lsn)
                {
                    found.Add(record);
                    wanted++;
                }
                else if (wanted < end && record.Lsn.Value > events[wanted].Lsn)
                {
                    throw new JournalFormatException(PluginId, events[wanted].Lsn, "the index points between records");
                }
            }

            if (result.Records.Count == 0 && wanted < end)
            {
                throw new JournalFormatException(PluginId, events[wanted].Lsn, "an indexed event is beyond the readable end of the log");
            }

            position = result.Next;
            records = end - wanted;
        }

        return found;
    }

    private async Task BuildIndexAsync()
    {
        var report = await Client.Ready.ConfigureAwait(false);
        if (report.SegmentSize > 0)
        {
            Index.Usage = new SegmentUsage(report.SegmentSize);
        }

        var status = await Client.GetStatusAsync().ConfigureAwait(false);
        var pool = new StringPool();
        var tags = new List<string>();
        var position = status.Head;
        var reading = Client.ReadAsync(position, ScanBatchRecords, ReadLevel);
        while (true)
        {
            var result = await reading.ConfigureAwait(false);
            if (result.Records.Count == 0)
            {
                break;
            }

            // Read the next batch while this one is indexed.
            reading = Client.ReadAsync(result.Next, ScanBatchRecords, ReadLevel);
            foreach (var record in result.Records)
            {
                IndexRecord(record, pool, tags);
            }

            position = result.Next;
        }

        Index.CompleteScan(position.Value);
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
