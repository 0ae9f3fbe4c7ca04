using System.Diagnostics;
using Akka.Coordination;
using Akka.Event;
using Etcdserverpb;
using Grpc.Core;

namespace WalActors.Cluster;

/// <summary>The heartbeat of a holding: renewing its etcd lease, checking its key, and losing it.</summary>
public sealed partial class EtcdLease
{
    /// <summary>
    /// Every heartbeat-interval: keeps the etcd lease alive, then checks the key is still this holding. A failed call is
    /// tried again at the next beat; once the TTL of the last renewal has run out the holding is lost. The wait before
    /// a beat and each call's timeout end no later than the TTL does, so the loss is noticed when it happens.
    /// </summary>
    private async Task HeartbeatAsync(LeaseHolding holding)
    {
        LeaseException? lastFailure = null;
        try
        {
            while (true)
            {
                var remaining = holding.Remaining;
                if (remaining <= TimeSpan.Zero)
                {
                    Lose(holding, NotRenewed(lastFailure));
                    return;
                }

                await Task.Delay(Shorter(_settings.HeartbeatInterval, remaining), holding.Stopping).ConfigureAwait(false);
                try
                {
                    if (await RenewAsync(holding).ConfigureAwait(false) is { } lost)
                    {
                        Lose(holding, lost);
                        return;
                    }

                    lastFailure = null;
                }
                catch (LeaseException e)
                {
                    lastFailure = e;
                    _log.Warning("etcd lease {0}: renewal failed, trying again until its TTL runs out: {1}", _settings.Key, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (holding.Stopping.IsCancellationRequested)
        {
            // Released, lost or the system terminated: nothing left to renew.
        }
#pragma warning disable CA1031 // The heartbeat is a task nobody awaits: any failure must end the holding, not vanish.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Lose(holding, new LeaseException($"The heartbeat of etcd lease {_settings.Key} failed", e));
        }
    }

    /// <summary>One beat: null if the holding is still this owner's, else why it was lost.</summary>
    private async Task<LeaseException?> RenewAsync(LeaseHolding holding)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var ttl = await EtcdCall.Run("keep-alive", Shorter(_settings.OperationTimeout, holding.Remaining), (deadline, cancel) =>
            KeepAliveOnceAsync(holding.EtcdLeaseId, deadline, cancel), holding.Stopping).ConfigureAwait(false);
        if (ttl <= 0)
        {
            return new LeaseException($"The etcd lease of {_settings.Key} (id {holding.EtcdLeaseId}) expired or was revoked");
        }

        holding.Renewed(sentAt, ttl);
        var read = await EtcdCall.Run("key check", Shorter(_settings.OperationTimeout, holding.Remaining), (deadline, cancel) =>
            _client.GetAsync(LeaseKeyRequests.Get(_settings.Key), deadline: deadline, cancellationToken: cancel), holding.Stopping)
            .ConfigureAwait(false);
        var key = read.Kvs.FirstOrDefault();
        if (key is null)
        {
            return new LeaseException($"The etcd key {_settings.Key} of epoch {holding.Epoch} was deleted");
        }

        if (key.CreateRevision != holding.Epoch || key.Lease != holding.EtcdLeaseId)
        {
            return new LeaseException(
                $"The etcd key {_settings.Key} of epoch {holding.Epoch} is now held by {key.Value.ToStringUtf8()} at epoch {key.CreateRevision}");
        }

        return null;
    }

    /// <summary>
    /// One keep-alive on a stream of its own: etcd has no unary keep-alive, and a stream per beat cannot be left
    /// half-broken between beats.
    /// </summary>
    private async Task<long> KeepAliveOnceAsync(long etcdLeaseId, DateTime deadline, CancellationToken cancel)
    {
        using var call = _client.GetConnection().LeaseClient.LeaseKeepAlive(deadline: deadline, cancellationToken: cancel);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = etcdLeaseId }, cancel).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "etcd closed the keep-alive stream without an answer"));
        }

        var ttl = call.ResponseStream.Current.TTL;
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return ttl;
    }

    /// <summary>
    /// Ends <paramref name="holding"/> if it is still the current one, revokes its etcd lease (if etcd answers, the key
    /// goes now rather than at the TTL; another owner's key is never touched) and calls the lease-lost callback once.
    /// </summary>
    private void Lose(LeaseHolding holding, LeaseException reason)
    {
        Action<Exception>? callback;
        lock (_gate)
        {
            if (!ReferenceEquals(_holding, holding))
            {
                return;
            }

            _holding = null;
            callback = _lostCallback;
            _lostCallback = null;
        }

        holding.End();
        _log.Warning("Lost etcd lease {0} at epoch {1}: {2}", _settings.Key, holding.Epoch, reason.Message);
        _ = RevokeQuietlyAsync(holding.EtcdLeaseId);
        try
        {
            callback?.Invoke(reason);
        }
#pragma warning disable CA1031 // The user's callback runs on the heartbeat; its failure is logged, never rethrown into it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Error(e, "The lease-lost callback of etcd lease {0} threw", _settings.Key);
        }
    }

    /// <summary>At actor system termination: stop renewing without calling back (the callback's receivers are gone).</summary>
    private void EndHoldingQuietly()
    {
        lock (_gate)
        {
            _lostCallback = null;
            _holding?.End();
            _holding = null;
        }
    }

    /// <summary>Revokes an etcd lease, deleting the keys attached to it; a failure is logged (it expires at its TTL).</summary>
    private async Task RevokeQuietlyAsync(long etcdLeaseId)
    {
        try
        {
            await EtcdCall.Run("lease revoke", _settings.OperationTimeout, (deadline, cancel) =>
                _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = etcdLeaseId }, deadline: deadline, cancellationToken: cancel))
                .ConfigureAwait(false);
        }
        catch (LeaseException e)
        {
            _log.Debug("etcd lease {0} (id {1}) not revoked, it expires at its TTL: {2}", _settings.Key, etcdLeaseId, e.Message);
        }
    }

    private LeaseTimeoutException NotRenewed(LeaseException? lastFailure) =>
        new($"etcd did not renew the lease of {_settings.Key} for heartbeat-timeout ({_settings.TtlSeconds} s)", lastFailure);

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
