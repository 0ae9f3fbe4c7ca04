using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Coordination;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Journal;

/// <summary>
/// The shard ledgers this node holds open for writing, shared by the cluster journal and the cluster snapshot store:
/// a ledger has exactly one writer per epoch, so the two plugins must write the same <see cref="ShardLedger"/> rather
/// than each opening its own (two writers at one epoch would each take the other's entries for a resend). One per
/// actor system, kept by <see cref="LedgerReplicas"/>; ledgers outlive a plugin's restart and are replaced only when
/// the shard's lease is held anew (a new epoch) or a newer holder fenced them.
/// </summary>
internal sealed class ShardLedgers
{
    private readonly ActorSystem _system;
    private readonly ClusterJournalSettings _settings;
    private readonly Func<string, ShardLocation> _shardOf;
    private readonly LedgerCopies _copies;
    private readonly string _owner;
    private readonly ConcurrentDictionary<string, OpenLedger> _ledgers = new(StringComparer.Ordinal);

    public ShardLedgers(ActorSystem system, ClusterJournalSettings settings, IActorRef replicaHost)
    {
        _system = system;
        _settings = settings;
        var setup = system.Settings.Setup.Get<ShardMappingSetup>();
        var shards = settings.NumberOfShards;
        _shardOf = setup.HasValue ? setup.Value.ShardOf : id => DefaultShardMapping.Locate(id, shards);
        _copies = new LedgerCopies(system, settings, replicaHost, LedgerEnsembleStore.For(system, settings.LeaseConfigPath, settings.EnsembleKeyPrefix));
        _owner = Akka.Cluster.Cluster.Get(system).SelfAddress.HostPort();
    }

    /// <summary>The shard <paramref name="persistenceId"/> belongs to (the application's mapping, else the default).</summary>
    public ShardLocation Locate(string persistenceId) => _shardOf(persistenceId);

    /// <summary>The ledger of <paramref name="persistenceId"/>'s shard; see <see cref="LedgerOf(ShardLocation)"/>.</summary>
    public Task<ShardLedger> LedgerOf(string persistenceId) => LedgerOf(_shardOf(persistenceId));

    /// <summary>
    /// The shard's ledger, opened at the epoch of the lease's current holding: a request while this node does not hold
    /// the lease fails with <see cref="ShardNotHeldException"/>, and a new holding (a new epoch) opens it again.
    /// </summary>
    public Task<ShardLedger> LedgerOf(ShardLocation location)
    {
        var leaseName = location.LeaseName(_system.Name);
        var lease = LeaseProvider.Get(_system).GetLease(leaseName, _settings.LeaseConfigPath, _owner);
        if (lease is not ILeaseEpoch epoched)
        {
            return Task.FromException<ShardLedger>(new InvalidOperationException(
                $"The lease at '{_settings.LeaseConfigPath}' ({lease.GetType()}) has no epoch (ILeaseEpoch): the cluster journal cannot fence its writes."));
        }

        if (epoched.Epoch is not { } epoch || !lease.CheckLease())
        {
            return Task.FromException<ShardLedger>(new ShardNotHeldException(leaseName, _owner));
        }

        var id = location.LedgerId;
        while (true)
        {
            if (_ledgers.TryGetValue(id, out var open) && open.Epoch == epoch && !open.Opening.IsFaulted && !open.Opening.IsCanceled)
            {
                return open.Opening;
            }

            var opening = new OpenLedger(epoch, new Lazy<Task<ShardLedger>>(() => ShardLedger.OpenAsync(_system, _settings, id, epoch, _copies)));
            var stored = open is null ? _ledgers.TryAdd(id, opening) : _ledgers.TryUpdate(id, opening, open);
            if (stored)
            {
                open?.Opening.ContinueWith(t => t.Result.Ledger.StopAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                return opening.Opening;
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="entries"/> to the shard's ledger as consecutive entries; completes with the first one's
    /// position once W copies hold them (and everything before them) durably.
    /// </summary>
    /// <exception cref="ShardNotHeldException">This node does not hold the shard's lease.</exception>
    /// <exception cref="LedgerFencedException">A newer holder fenced the ledger: the next request opens it again if this node holds the lease anew.</exception>
    /// <exception cref="LedgerQuorumException">Too few copies held the entries in time.</exception>
    public async Task<long> AppendAsync(ShardLocation location, IReadOnlyList<byte[]> entries)
    {
        var ledger = await LedgerOf(location).ConfigureAwait(false);
        try
        {
            return await ledger.AppendAsync(entries).ConfigureAwait(false);
        }
        catch (LedgerFencedException)
        {
            Forget(location.LedgerId, ledger);
            throw;
        }
    }

    private void Forget(string id, ShardLedger ledger)
    {
        if (_ledgers.TryGetValue(id, out var open) && open.Opening.IsCompletedSuccessfully && ReferenceEquals(open.Opening.Result, ledger))
        {
            _ledgers.TryRemove(new KeyValuePair<string, OpenLedger>(id, open));
            _ = ledger.Ledger.StopAsync();
        }
    }

    private sealed record OpenLedger(long Epoch, Lazy<Task<ShardLedger>> Open)
    {
        public Task<ShardLedger> Opening => Open.Value;
    }
}
