using Akka.Actor;

namespace WalActors.Persistence.Snapshots;

/// <summary>
/// One snapshot store's log and index, shared by its <see cref="WalSnapshotStore"/> actor across restarts: starts the
/// log, rebuilds the index by reading it, and appends saves and deletes.
/// </summary>
internal sealed class SnapshotLog
{
    private const int ScanBatchRecords = 4096;

    public SnapshotLog(ActorSystem system, string pluginId, WalOptions options)
    {
        PluginId = pluginId;
        Options = options;
        Log = WriteAheadLog.Start(system, options, JournalStore.ActorName(pluginId).Replace("walactors-journal-", "walactors-snapshots-", StringComparison.Ordinal));
        Client = new WalClient(system, Log);
        Ready = BuildIndexAsync();
    }

    public string PluginId { get; }

    public WalOptions Options { get; }

    public IActorRef Log { get; }

    public WalClient Client { get; }

    public SnapshotIndex Index { get; } = new();

    /// <summary>Completes once the log has recovered and the index holds every snapshot in it; faults if either fails.</summary>
    public Task Ready { get; }

    private async Task BuildIndexAsync()
    {
        var report = await Client.Ready.ConfigureAwait(false);
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
}
