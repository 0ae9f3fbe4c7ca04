using Akka.Actor;
using WalActors.Format;
using WalActors.Persistence.Compaction;

namespace WalActors.Persistence.Snapshots;

/// <summary>
/// One snapshot store's log and index, shared by its <see cref="WalSnapshotStore"/> actor across restarts: starts the
/// log, rebuilds the index by reading it, and appends saves and deletes.
/// </summary>
internal sealed class SnapshotLog
{
    private const int ScanBatchRecords = 4096;

    public SnapshotLog(ActorSystem system, string pluginId, WalOptions options, CompactionSettings compaction)
    {
        PluginId = pluginId;
        Options = options;
        Index = new SnapshotIndex();
        var name = JournalStore.ActorName(pluginId).Replace("walactors-journal-", "walactors-snapshots-", StringComparison.Ordinal);
        Log = WriteAheadLog.Start(system, options, name);
        Client = new WalClient(system, Log);
        Ready = BuildIndexAsync();
        Compactor = new PluginCompactor(Log, () => Index.Usage, compaction, IsLive, Akka.Event.Logging.GetLogger(system, name),
            compacted => Index.ForgetDeadSaves(compacted.BaseOffset, compacted.BaseOffset + Index.Usage.SegmentSize));
        Compactor.StartWhen(Ready);
        system.RegisterOnTermination(Compactor.Dispose);
    }

    /// <summary>Compacts the snapshot log, by itself and on demand (<see cref="CompactLog"/>).</summary>
    public PluginCompactor Compactor { get; }

    public string PluginId { get; }

    public WalOptions Options { get; }

    public IActorRef Log { get; }

    public WalClient Client { get; }

    public SnapshotIndex Index { get; }

    /// <summary>Completes once the log has recovered and the index holds every snapshot in it; faults if either fails.</summary>
    public Task Ready { get; }

    private async Task BuildIndexAsync()
    {
        var report = await Client.Ready.ConfigureAwait(false);
        if (report.SegmentSize > 0)
        {
            Index.Usage = new SegmentUsage(report.SegmentSize);
        }

        var from = new Lsn(report.Head);
        while (from.Value < report.End)
        {
            var page = await Client.ReadAsync(from, ScanBatchRecords).ConfigureAwait(false);
            if (page.Records.Count == 0)
            {
                break;
            }

            foreach (var record in page.Records)
            {
                Index.Usage.Added(record.Lsn.Value, record.Next.Value - record.Lsn.Value);
                try
                {
                    SnapshotRecordCodec.Apply(record.Payload.Span, record.Lsn, Index);
                }
                catch (InvalidDataException e)
                {
                    throw new JournalFormatException(PluginId, record.Lsn.Value, e.Message);
                }
            }

            from = page.Next;
        }
    }

    /// <summary>Appends a delete record durably, counted where it lies.</summary>
    public async Task AppendDeleteAsync(byte[] record, CancellationToken cancellationToken)
    {
        var lsn = await Client.AppendAsync(record, Durability.Durable, cancellationToken).ConfigureAwait(false);
        Index.Usage.Added(lsn.Value, FrameCodec.FrameSize(record.Length));
    }

    // Deletes stay: dropping one while a save it covers is still in another segment would bring that save back.
    private bool IsLive(long lsn, long batchStart, ReadOnlySpan<byte> payload) =>
        payload.IsEmpty || payload[0] is not (SnapshotRecordCodec.Save or SnapshotRecordCodec.Chunk) || Index.SaveIsLive(batchStart);
}
