using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using WalActors.Format;
using WalActors.Persistence.Snapshots;
using AkkaSerialization = Akka.Serialization.Serialization;

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
            var (stored, serializerId, manifest, payload) = Decode(page.Records, location);
            var snapshot = _system.Serialization.Deserialize(payload, serializerId, manifest);
            return new SelectedSnapshot(new SnapshotMetadata(stored.PersistenceId, stored.SequenceNr, DateTime.FromBinary(stored.Timestamp)), snapshot);
        }

        return null;
    }

    /// <inheritdoc />
    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        await _log.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var serializer = _system.Serialization.FindSerializerFor(snapshot);
        var bytes = AkkaSerialization.WithTransport(_system, (serializer, snapshot), state => state.serializer.ToBinary(state.snapshot));
        var manifest = AkkaSerialization.ManifestFor(serializer, snapshot);
        var key = new SnapshotKey(metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp.ToBinary());
        var records = Frame(key, serializer.Identifier, manifest, bytes);
        var lsns = await _log.Client.AppendBatchAsync(records, Durability.Durable, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The records of one save: metadata and the first chunk, then the rest in chunks the log's record limit allows.</summary>
    private List<ReadOnlyMemory<byte>> Frame(SnapshotKey key, int serializerId, string manifest, byte[] bytes)
    {
        var limit = _log.Options.MaxRecordSize;
        var header = SnapshotRecordCodec.SaveHeaderSize(key.PersistenceId, key.SequenceNr, serializerId, manifest, chunks: int.MaxValue);
        if (header >= limit)
        {
            throw new RecordTooLargeException(header, limit, "max-record-size");
        }

        var first = Math.Min(bytes.Length, limit - header);
        var rest = bytes.Length - first;
        var chunks = 1 + (rest + limit - 2) / (limit - 1);
        var records = new List<ReadOnlyMemory<byte>>(chunks)
        {
            SnapshotRecordCodec.EncodeSave(key, serializerId, manifest, chunks, bytes.AsSpan(0, first)),
        };
        for (var offset = first; offset < bytes.Length; offset += limit - 1)
        {
            records.Add(SnapshotRecordCodec.EncodeChunk(bytes.AsSpan(offset, Math.Min(limit - 1, bytes.Length - offset))));
        }

        return records;
    }

    private (SnapshotKey Key, int SerializerId, string Manifest, byte[] Payload) Decode(IReadOnlyList<WalRecord> records, SnapshotLocation location)
    {
        try
        {
            return SnapshotRecordCodec.DecodeSave(records);
        }
        catch (InvalidDataException e)
        {
            throw new JournalFormatException(_log.PluginId, location.Lsn.Value, e.Message);
        }
    }
}
