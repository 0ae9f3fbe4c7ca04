using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using WalActors.Actors;
using WalActors.Cluster.Replication;
using WalActors.Persistence;

namespace WalActors.Cluster.Journal;

/// <summary>
/// An Akka.Persistence journal for Cluster.Sharding entities whose events live in replicated ledgers, one per shard,
/// written only by the node whose shard holds the shard's lease, at that lease's epoch. Configured at
/// <c>walactors.cluster.journal</c> (<see cref="DefaultConfig"/>); <c>WithWalClusterPersistence</c> sets it up.
/// </summary>
/// <remarks>
/// <para>
/// A persistence id belongs to a shard by the mapping <c>WithWalClusterPersistence</c> was given, else by the default:
/// <c>"&lt;type name&gt;|&lt;entity id&gt;"</c> hashed like Sharding's <c>HashCodeMessageExtractor</c> with
/// <c>number-of-shards</c>. The shard's lease is the instance Sharding's Shard holds (LeaseProvider caches one per name,
/// config path and owner): name <c>&lt;system&gt;-shard-&lt;type&gt;-&lt;shard&gt;</c>, config path <c>lease-config-path</c>,
/// owner this node's address.
/// </para>
/// <para>
/// Each <c>AtomicWrite</c> is one ledger entry, acknowledged only once W of the ledger's R copies hold it durably;
/// <c>DeleteMessagesTo</c> is an entry too (a tombstone). A write, replay or highest-sequence-number read for a shard whose
/// lease this node does not hold fails with <see cref="ShardNotHeldException"/> (the actor's <c>OnPersistFailure</c> or
/// <c>OnRecoveryFailure</c>); one that loses its lease while writing fails with <see cref="LedgerFencedException"/>;
/// too few copies in time is <see cref="LedgerQuorumException"/>. An event that cannot be serialized rejects its own
/// <c>AtomicWrite</c> (<c>OnPersistRejected</c>).
/// </para>
/// </remarks>
public sealed class WalClusterJournal : AsyncWriteJournal
{
    private static readonly Lazy<Config> Reference = new(() => EmbeddedConfig.Load("cluster-journal.conf")
        .WithFallback(WalCluster.DefaultConfig())
        .WithFallback(WalReplication.DefaultConfig())
        .WithFallback(WalConfig.Defaults));

    private readonly ShardLedgers _ledgers;
    private readonly EventSerializer _serializer;
    private readonly WritesInProgress _writesInProgress = new();

    /// <summary>Created by Akka.Persistence from the plugin's configuration; not meant to be called directly.</summary>
    public WalClusterJournal()
    {
        _ledgers = LedgerReplicas.Get(Context.System).Ledgers;
        _serializer = new EventSerializer((ExtendedActorSystem)Context.System);
    }

    /// <summary>
    /// The <c>walactors.cluster.journal</c> defaults (hocon/cluster-journal.conf, embedded), with the etcd lease's defaults,
    /// the replication serializer's binding and the log defaults as fallbacks: add it as a fallback of every node's
    /// configuration (Akka reads serializer bindings at start).
    /// </summary>
    public static Config DefaultConfig() => Reference.Value;

    /// <inheritdoc />
    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        var ledger = await _ledgers.LedgerOf(persistenceId).ConfigureAwait(false);
        var events = ledger.Index.EventsOf(persistenceId, fromSequenceNr, toSequenceNr, max);
        await foreach (var record in ledger.ReadAsync(events).ConfigureAwait(false))
        {
            recoveryCallback(_serializer.ToPersistent(JournalRecordCodec.DecodeEvent(record)));
        }
    }

    /// <inheritdoc />
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        // A restarted actor may ask while its previous incarnation's write is still in flight: answer after it.
        await _writesInProgress.AfterWritesOf(persistenceId).ConfigureAwait(false);
        var ledger = await _ledgers.LedgerOf(persistenceId).ConfigureAwait(false);
        return ledger.Index.HighestSequenceNr(persistenceId);
    }

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? [.. messages];
        var writing = WriteAsync(writes);
        _writesInProgress.Track(writes, writing);
        return writing;
    }

    private async Task<IImmutableList<Exception?>> WriteAsync(IReadOnlyList<AtomicWrite> writes)
    {
        var results = new Exception?[writes.Count];
        var byLedger = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        var locations = new Dictionary<string, ShardLocation>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                var location = _ledgers.Locate(writes[i].PersistenceId);
                var entry = Encode(writes[i]);
                locations[location.LedgerId] = location;
                (byLedger.TryGetValue(location.LedgerId, out var entries) ? entries : byLedger[location.LedgerId] = []).Add(entry);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A write that cannot be mapped or serialized is rejected alone; nothing of it is written.
                results[i] = e;
            }
        }

        // Each ledger's entries go as one append, in the order they came (a persistent actor has one write in flight).
        await Task.WhenAll(byLedger.Select(l => _ledgers.AppendAsync(locations[l.Key], l.Value))).ConfigureAwait(false);
        return [.. results];
    }

    /// <inheritdoc />
    protected override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        await _writesInProgress.AfterWritesOf(persistenceId).ConfigureAwait(false);
        var ledger = await _ledgers.LedgerOf(persistenceId).ConfigureAwait(false);
        var (highest, deletedTo) = ledger.Index.DeletionState(persistenceId);
        // Beyond the highest (long.MaxValue included) means "everything so far"; events written later stay.
        var target = Math.Min(toSequenceNr, highest);
        if (target <= deletedTo)
        {
            return;
        }

        var tombstone = JournalRecordCodec.EncodeTombstone(new JournalTombstone(persistenceId, target, highest));
        await _ledgers.AppendAsync(_ledgers.Locate(persistenceId), [LedgerEntryCodec.Encode([tombstone])]).ConfigureAwait(false);
    }

    private byte[] Encode(AtomicWrite write)
    {
        var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
        var timestamp = DateTime.UtcNow.Ticks;
        var records = new byte[events.Count][];
        for (var e = 0; e < events.Count; e++)
        {
            records[e] = _serializer.Encode(events[e], timestamp, out _);
        }

        return LedgerEntryCodec.Encode(records);
    }
}
