using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using WalActors.Format;
using WalActors.Persistence.Snapshots;

namespace WalActors.Persistence;

/// <summary>
/// An Akka.Persistence snapshot store on a WalActors write-ahead log of its own (<c>walactors.persistence.snapshot-store</c>,
/// its <c>directory</c> and any <c>walactors.log</c> setting in that section).
/// </summary>
/// <remarks>
/// <para>A save is one atomic batch of records, acknowledged only once durable: after a crash a snapshot is whole or
/// absent. A snapshot larger than the log's record limit is split across the batch's records, up to
/// <c>max-batch-size</c>; a larger one fails its save with <see cref="RecordTooLargeException"/> naming that key. The
/// snapshot is serialized with the serializer bound to its type (under <c>Serialization.WithTransport</c>, so actor
/// references survive), and its metadata time round-trips exactly, kind included.</para>
/// <para>Deletes are durable records; a save at a sequence number that already has a snapshot replaces it. Loading returns
/// the youngest snapshot matching the criteria. On start the store rebuilds its index by reading its log; requests wait
/// until it is ready.</para>
/// </remarks>
internal sealed class WalSnapshotStore : SnapshotStore
{
    private readonly SnapshotLog _log;
    private readonly ExtendedActorSystem _system;

    /// <summary>Created by Akka.Persistence for the plugin id it is configured at; not meant to be called directly.</summary>
    public WalSnapshotStore()
    {
        _system = (ExtendedActorSystem)Context.System;

        // The Persistence extension names a plugin's actor after its configuration path.
        _log = SnapshotLogs.Get(Context.System).For(Self.Path.Name);
    }

    /// <summary>
    /// Healthy while the snapshot store's log is ready; degraded while it recovers or its disk has less room than two
    /// segments; unhealthy once it is faulted or stopped (with the fault).
    /// </summary>
    public override Task<PersistenceHealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) =>
        LogHealth.CheckAsync(_log.Client, _log.Options, cancellationToken, _log.Compactor.Backlog);

    /// <inheritdoc />
    protected override bool ReceivePluginInternal(object message)
    {
        if (message is not CompactLog)
        {
            return false;
        }

        CompactWhenReady().PipeTo(Sender, failure: e => new Status.Failure(e));
        return true;
    }

    private async Task<LogCompacted> CompactWhenReady()
    {
        await _log.Ready.ConfigureAwait(false);
        return await _log.Compactor.CompactNowAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        await _log.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, location) in _log.Index.Youngest(persistenceId, SnapshotRange.Of(criteria)))
        {
            var page = await _log.Client.ReadAsync(location.Lsn, location.Records, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                return SnapshotRecordCodec.Deserialize(_system, [.. page.Records.Select(r => r.Payload)]);
            }
            catch (InvalidDataException e)
            {
                throw new JournalFormatException(_log.PluginId, location.Lsn.Value, e.Message);
            }
        }

        return null;
    }

    /// <inheritdoc />
    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        await _log.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var (key, records) = SnapshotRecordCodec.Frame(_system, metadata, snapshot, _log.Options.MaxRecordSize, "max-record-size");
        var lsns = await _log.Client.AppendBatchAsync([.. records.Select(r => (ReadOnlyMemory<byte>)r)], Durability.Durable, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < lsns.Count; i++)
        {
            _log.Index.Usage.Added(lsns[i].Value, FrameCodec.FrameSize(records[i].Length));
        }

        _log.Index.Saved(key, new SnapshotLocation(lsns[0], lsns.Count));
    }

    /// <inheritdoc />
    protected override async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        await _log.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var key = new SnapshotKey(metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp.ToBinary());
        await _log.AppendDeleteAsync(SnapshotRecordCodec.EncodeDeleteOne(key), cancellationToken).ConfigureAwait(false);
        _log.Index.DeleteOne(key);
    }

    /// <inheritdoc />
    protected override async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        await _log.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var range = SnapshotRange.Of(criteria);
        await _log.AppendDeleteAsync(SnapshotRecordCodec.EncodeDeleteRange(persistenceId, range), cancellationToken).ConfigureAwait(false);
        _log.Index.DeleteRange(persistenceId, range);
    }
}
