using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Akka.Coordination;
using Akka.Event;
using dotnet_etcd;
using Etcdserverpb;
using AkkaLease = Akka.Coordination.Lease;

namespace WalActors.Cluster;

/// <summary>
/// An Akka.Coordination lease held in etcd, for Cluster.Sharding's <c>use-lease</c> (and anything else that takes a
/// lease by config path): <c>lease-class = "WalActors.Cluster.EtcdLease, WalActors"</c>, settings at
/// <see cref="WalCluster.LeaseConfigPath"/> (hocon/cluster.conf).
/// </summary>
/// <remarks>
/// The lease named N is the etcd key <c>key-prefix + N</c>. Acquiring grants an etcd lease with a TTL of
/// <c>heartbeat-timeout</c> and creates the key, attached to it, in a transaction that succeeds only if no key exists;
/// the key's value is the owner name. While held, the etcd lease is kept alive and the key checked every
/// <c>heartbeat-interval</c>. A holder that stops renewing (a crash, a partition from etcd) loses the key when the TTL
/// runs out, and etcd deletes it, so another owner can acquire. Each holding's <see cref="Epoch"/> is the key's create
/// revision, which grows with every holding of any owner: writes made under the lease carry it as their fencing token.
/// Every call to etcd is bounded by <c>lease-operation-timeout</c>. Owner names must be unique among live owners (Akka
/// uses the node's address): an owner that finds its own name on the key takes it as an earlier holding of its own (a
/// restarted process, or this instance before it lost the lease), supersedes it and gets a new, higher epoch.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "Akka's leases are not disposable: LeaseProvider keeps one per name for the " +
    "actor system's life. The semaphore never allocates a wait handle (only WaitAsync is used), so it holds only memory.")]
public sealed partial class EtcdLease : AkkaLease, ILeaseEpoch
{
    private readonly EtcdLeaseSettings _settings;
    private readonly EtcdClient _client;
    private readonly ILoggingAdapter _log;

    // Acquire and Release one at a time, so concurrent calls on one instance see each other's result instead of racing
    // each other in etcd; the heartbeat does not take it (a loss must never wait behind a slow Acquire).
    private readonly SemaphoreSlim _operations = new(1, 1);

    // Guards the holding and its callback, which the heartbeat ends from its own thread.
    private readonly Lock _gate = new();
    private LeaseHolding? _holding;
    private Action<Exception>? _lostCallback;

    /// <summary>
    /// Creates the lease as Akka's <c>LeaseProvider</c> does. No call is made to etcd until <see cref="Acquire()"/>.
    /// Throws <see cref="Akka.Configuration.ConfigurationException"/> naming the key of a bad setting.
    /// </summary>
    /// <param name="settings">The lease's name, owner, timeouts and its config section (endpoints, key-prefix).</param>
    /// <param name="system">The actor system: its etcd client is shared by all its leases on the same endpoints.</param>
    public EtcdLease(LeaseSettings settings, ExtendedActorSystem system)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        _settings = EtcdLeaseSettings.From(settings);
        _client = EtcdClients.Get(system).For(_settings.Endpoints);
        _log = Akka.Event.Logging.GetLogger(system, $"{nameof(EtcdLease)}({_settings.Key})");
        system.RegisterOnTermination(EndHoldingQuietly);
    }

    /// <inheritdoc/>
    public long? Epoch => Volatile.Read(ref _holding) is { IsValid: true } holding ? holding.Epoch : null;

    /// <summary>Acquires the lease without a lease-lost callback; see <see cref="Acquire(Action{Exception})"/>.</summary>
    public override Task<bool> Acquire() => Acquire(null);

    /// <summary>
    /// Acquires the lease for this owner. True: this owner holds it (now, or already did: then a non-null
    /// <paramref name="leaseLostCallback"/> replaces the earlier one) and <see cref="Epoch"/> is the holding's epoch.
    /// False: another owner holds it. <see cref="LeaseTimeoutException"/>: etcd did not answer within
    /// <c>lease-operation-timeout</c>, and the lease may or may not have been taken (if it was, nothing renews it and
    /// etcd drops it after <c>heartbeat-timeout</c>); <see cref="LeaseException"/>: etcd refused a request.
    /// Concurrent calls on one instance run one after the other.
    /// </summary>
    /// <param name="leaseLostCallback">
    /// Called once, on a thread-pool thread, if the holding is lost after this call returned true: the key was deleted
    /// or taken by another owner or the etcd lease revoked (<see cref="LeaseException"/>), or etcd did not renew the
    /// etcd lease for <c>heartbeat-timeout</c> (<see cref="LeaseTimeoutException"/>). By then <see cref="CheckLease"/>
    /// already answers false. Not called after <see cref="Release"/>.
    /// </param>
    public override async Task<bool> Acquire(Action<Exception>? leaseLostCallback)
    {
        await _operations.WaitAsync().ConfigureAwait(false);
        try
        {
            LeaseHolding? expired;
            lock (_gate)
            {
                // Under the lock: a holding the heartbeat loses at this moment is either lost before (and acquired anew
                // below) or after this callback is set (and calls it).
                if (_holding is { IsValid: true })
                {
                    _lostCallback = leaseLostCallback ?? _lostCallback;
                    return true;
                }

                expired = _holding;
            }

            if (expired is not null)
            {
                // Its TTL ran out before the heartbeat noticed: lose it now, so its callback fires before a new holding.
                Lose(expired, NotRenewed(null));
            }

            var holding = await TakeKeyAsync().ConfigureAwait(false);
            if (holding is null)
            {
                return false;
            }

            if (!holding.IsValid)
            {
                // The calls took longer than the TTL: etcd may already have dropped the key, so true would be a lie.
                _ = RevokeQuietlyAsync(holding.EtcdLeaseId);
                throw new LeaseTimeoutException($"Acquiring etcd lease {_settings.Key} took longer than heartbeat-timeout ({_settings.TtlSeconds} s)");
            }

            lock (_gate)
            {
                _holding = holding;
                _lostCallback = leaseLostCallback;
            }

            _ = Task.Run(() => HeartbeatAsync(holding));
            _log.Info("Acquired etcd lease {0} for {1} at epoch {2}", _settings.Key, _settings.Owner, holding.Epoch);
            return true;
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>
    /// Releases the lease: deletes the key if it is still this owner's holding (never another owner's) and revokes the
    /// etcd lease. True: this call deleted this owner's key. False: this owner did not hold the lease (never acquired,
    /// released, or lost). Whatever the outcome, this instance holds the lease no more and its lease-lost callback is
    /// not called. <see cref="LeaseTimeoutException"/>: etcd did not answer within <c>lease-operation-timeout</c> (the
    /// key then expires after <c>heartbeat-timeout</c>, since nothing renews it).
    /// </summary>
    public override async Task<bool> Release()
    {
        await _operations.WaitAsync().ConfigureAwait(false);
        try
        {
            LeaseHolding? holding;
            lock (_gate)
            {
                holding = _holding;
                _holding = null;
                _lostCallback = null;
            }

            if (holding is null)
            {
                return false;
            }

            holding.End();
            TxnResponse deleted;
            try
            {
                deleted = await EtcdCall.Run("release transaction", _settings.OperationTimeout, (deadline, cancel) =>
                    _client.TransactionAsync(LeaseKeyRequests.DeleteIfCreateRevision(_settings.Key, holding.Epoch), deadline: deadline, cancellationToken: cancel))
                    .ConfigureAwait(false);
            }
            catch (LeaseException)
            {
                _ = RevokeQuietlyAsync(holding.EtcdLeaseId);
                throw;
            }

            await RevokeQuietlyAsync(holding.EtcdLeaseId).ConfigureAwait(false);
            _log.Info("Released etcd lease {0} at epoch {1}{2}", _settings.Key, holding.Epoch, deleted.Succeeded ? "" : " (the key was no longer ours)");
            return deleted.Succeeded;
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>
    /// True if this owner certainly holds the lease: it acquired it, has not released or lost it, and the TTL of its
    /// last renewal has not run out. Makes no call to etcd. False means it may not hold it.
    /// </summary>
    public override bool CheckLease() => Volatile.Read(ref _holding) is { IsValid: true };

    /// <summary>
    /// Grants an etcd lease and creates the key on it. Null if another owner holds the key (the etcd lease is then
    /// revoked); on a failure the etcd lease is revoked in the background.
    /// </summary>
    private async Task<LeaseHolding?> TakeKeyAsync()
    {
        var sentAt = Stopwatch.GetTimestamp();
        var grant = await EtcdCall.Run("lease grant", _settings.OperationTimeout, (deadline, cancel) =>
            _client.LeaseGrantAsync(new LeaseGrantRequest { TTL = _settings.TtlSeconds }, deadline: deadline, cancellationToken: cancel))
            .ConfigureAwait(false);
        if (!string.IsNullOrEmpty(grant.Error))
        {
            throw new LeaseException($"etcd refused the lease grant for {_settings.Key}: {grant.Error}");
        }

        var taken = false;
        try
        {
            // The second try follows superseding an earlier holding of this same owner name.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var created = await EtcdCall.Run("acquire transaction", _settings.OperationTimeout, (deadline, cancel) =>
                    _client.TransactionAsync(LeaseKeyRequests.CreateIfAbsent(_settings.Key, _settings.Owner, grant.ID), deadline: deadline, cancellationToken: cancel))
                    .ConfigureAwait(false);
                if (created.Succeeded)
                {
                    taken = true;
                    // The transaction's revision is the put's, which for a created key is its create revision.
                    return new LeaseHolding(grant.ID, created.Header.Revision, sentAt, grant.TTL);
                }

                var holder = created.Responses[0].ResponseRange.Kvs.FirstOrDefault();
                if (holder is null)
                {
                    continue;
                }

                if (holder.Value.ToStringUtf8() != _settings.Owner)
                {
                    _log.Debug("etcd lease {0} is held by {1} at epoch {2}", _settings.Key, holder.Value.ToStringUtf8(), holder.CreateRevision);
                    return null;
                }

                _log.Info("Superseding an earlier holding of etcd lease {0} by this owner (epoch {1})", _settings.Key, holder.CreateRevision);
                await EtcdCall.Run("supersede transaction", _settings.OperationTimeout, (deadline, cancel) =>
                    _client.TransactionAsync(LeaseKeyRequests.DeleteIfModRevision(_settings.Key, holder.ModRevision), deadline: deadline, cancellationToken: cancel))
                    .ConfigureAwait(false);
            }

            return null;
        }
        finally
        {
            if (!taken)
            {
                _ = RevokeQuietlyAsync(grant.ID);
            }
        }
    }
}
