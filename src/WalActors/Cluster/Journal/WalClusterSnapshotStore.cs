using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using WalActors.Persistence;
using WalActors.Persistence.Snapshots;

namespace WalActors.Cluster.Journal;

/// <summary>
/// An Akka.Persistence snapshot store for Cluster.Sharding entities whose snapshots live in their shard's replicated
/// ledger, beside its events (<c>walactors.cluster.snapshot-store</c>; <c>WithWalClusterPersistence</c> makes it the
/// default). A snapshot moves with its shard: a new owner that recovers the ledger has every snapshot an earlier owner
/// saved, so an entity that snapshots and then deletes its events keeps its state across a rebalance or a node loss.
/// </summary>
/// <remarks>
/// <para>
/// A save is acknowledged only once W of the ledger's R copies hold it durably, written by this node only while it
/// holds the shard's lease, at the lease's epoch, through the very ledger writer the cluster journal uses. A snapshot
/// larger than one ledger entry (48 KiB) is several entries; it is loadable only once all of them are in the ledger, so
/// after a failover a save is whole or absent. The snapshot is serialized with the serializer bound to its type, under
/// <c>Serialization.WithTransport</c>; its metadata time round-trips exactly.
/// </para>
/// <para>
/// Deletes (one, or by criteria) are ledger entries; a save at a sequence number that has a snapshot replaces it;
/// loading returns the youngest snapshot matching the criteria, read from this node's copy. Errors: a request for a
/// shard whose lease this node does not hold fails with <see cref="ShardNotHeldException"/>; a lease lost while writing
/// with <see cref="LedgerFencedException"/>; too few copies in time with <see cref="LedgerQuorumException"/>; a snapshot
/// over <c>max-snapshot-size</c> with <see cref="RecordTooLargeException"/>, nothing of it written; a save record that
/// does not read back with <see cref="JournalFormatException"/>. Akka.Persistence hands each to the entity as
/// <c>SaveSnapshotFailure</c>, <c>DeleteSnapshotFailure</c> or a recovery failure.
/// </para>
/// </remarks>
public sealed class WalClusterSnapshotStore : SnapshotStore
{
    /// <summary>Where the store is configured.</summary>
    internal const string Path = "walactors.cluster.snapshot-store";

    private readonly ExtendedActorSystem _system;
    private readonly ShardLedgers _ledgers;
    private readonly long _maxSnapshotSize;

    /// <summary>Created by Akka.Persistence with the plugin's configuration section; not meant to be called directly.</summary>
    /// <exception cref="ArgumentException"><c>max-snapshot-size</c> is not a positive size.</exception>
    public WalClusterSnapshotStore(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _system = (ExtendedActorSystem)Context.System;
        _ledgers = LedgerReplicas.Get(_system).Ledgers;
        var section = config.WithFallback(WalClusterJournal.DefaultConfig().GetConfig(Path));
        _maxSnapshotSize = section.GetByteSize("max-snapshot-size") is { } size && size > 0
            ? size
            : throw new ArgumentException($"{Path}.max-snapshot-size must be a positive size.");
    }

    /// <inheritdoc />
    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        var ledger = await _ledgers.LedgerOf(persistenceId).ConfigureAwait(false);
        foreach (var (_, positions) in ledger.Index.Snapshots(persistenceId, SnapshotRange.Of(criteria)))
        {
            var records = new List<ReadOnlyMemory<byte>>(positions.Count);
            await foreach (var record in ledger.ReadAsync([.. positions.Select(p => new EventPosition(0, p, 0))]).ConfigureAwait(false))
            {
                records.Add(LedgerSnapshotCodec.Decode(record).Inner);
            }

            try
            {
                return SnapshotRecordCodec.Deserialize(_system, records);
            }
            catch (InvalidDataException e)
            {
                throw new JournalFormatException(Path, positions[0], e.Message);
            }
        }

        return null;
    }

    /// <inheritdoc />
    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        var location = _ledgers.Locate(metadata.PersistenceId);
        var (_, records) = SnapshotRecordCodec.Frame(_system, metadata, snapshot, LedgerSnapshotCodec.EntryBytes, "ledger entry size (48 KiB)");
        var size = records.Sum(r => (long)r.Length);
        if (size > _maxSnapshotSize)
        {
            throw new RecordTooLargeException(size, _maxSnapshotSize, $"{Path}.max-snapshot-size");
        }

        // One entry at a time: each must cross Akka.Remote in one frame, and a chunk names its save by the position the
        // save entry was acknowledged at.
        var savedAt = await _ledgers.AppendAsync(location, [LedgerSnapshotCodec.EncodeSave(records[0])]).ConfigureAwait(false);
        for (var i = 1; i < records.Count; i++)
        {
            await _ledgers.AppendAsync(location, [LedgerSnapshotCodec.EncodeChunk(savedAt, records[i])]).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default) =>
        _ledgers.AppendAsync(
            _ledgers.Locate(metadata.PersistenceId),
            [LedgerSnapshotCodec.EncodeDelete(SnapshotRecordCodec.EncodeDeleteOne(new SnapshotKey(metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp.ToBinary())))]);

    /// <inheritdoc />
    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default) =>
        _ledgers.AppendAsync(
            _ledgers.Locate(persistenceId),
            [LedgerSnapshotCodec.EncodeDelete(SnapshotRecordCodec.EncodeDeleteRange(persistenceId, SnapshotRange.Of(criteria)))]);
}
