using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using dotnet_etcd;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Each ledger's ensemble (the R nodes that keep its copies), fixed in etcd by the ledger's first writer and read by
/// every later one, as BookKeeper keeps a ledger's ensemble in its metadata store.
/// </summary>
/// <remarks>
/// Recovery is only safe if a new owner fences copies among the nodes the previous owners wrote to: any W of them and
/// the R − W + 1 it fences must share a copy. An ensemble computed afresh from the members of the moment (or from who
/// the owner is) would differ after a node joins, leaves or takes the shard over, and a new owner could then fence only
/// copies that never saw an acknowledged event. So the ensemble is chosen once, stored, and never changes; a shard owned
/// by a node outside it cannot be written (<see cref="ShardNotOnReplicaException"/>), which is why the
/// <see cref="ReplicaAwareAllocationStrategy"/> puts shards on their ensemble's nodes. Ensembles never change, so what
/// was read once is kept in memory.
/// </remarks>
internal sealed class LedgerEnsembleStore
{
    private readonly EtcdClient _client;
    private readonly string _prefix;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, IReadOnlyList<Address>> _known = new(StringComparer.Ordinal);

    private LedgerEnsembleStore(EtcdClient client, string prefix, TimeSpan timeout)
    {
        _client = client;
        _prefix = prefix;
        _timeout = timeout;
    }

    /// <summary>
    /// The store of <paramref name="system"/>, on the etcd of the lease at <paramref name="leaseConfigPath"/> (its
    /// endpoints and operation timeout), under <paramref name="keyPrefix"/>; an empty one means the lease's own
    /// key-prefix followed by <c>ledger-ensembles/</c>, so one prefix keeps an application's keys together.
    /// </summary>
    /// <exception cref="ConfigurationException">The lease's settings are not valid etcd lease settings.</exception>
    public static LedgerEnsembleStore For(ActorSystem system, string leaseConfigPath, string keyPrefix)
    {
        var config = system.Settings.Config.GetConfig(leaseConfigPath)
            .WithFallback(WalCluster.DefaultConfig().GetConfig(WalCluster.LeaseConfigPath))
            .WithFallback(system.Settings.Config.GetConfig("akka.coordination.lease"));
        var lease = EtcdLeaseSettings.From(new LeaseSettings("ledger-ensembles", "journal", TimeoutSettings.Create(config), config));
        var prefix = keyPrefix.Length > 0 ? keyPrefix : lease.Key + "/";
        return new LedgerEnsembleStore(EtcdClients.Get(system).For(lease.Endpoints), prefix, lease.OperationTimeout);
    }

    /// <summary>
    /// The ensemble of <paramref name="ledger"/>: <paramref name="proposed"/> if this call fixes it (no ensemble was
    /// stored), else the one stored before, whatever this caller proposed.
    /// </summary>
    /// <exception cref="LeaseTimeoutException">etcd did not answer in time (the ensemble may or may not have been stored).</exception>
    /// <exception cref="LeaseException">etcd refused the call.</exception>
    public async Task<IReadOnlyList<Address>> ClaimAsync(string ledger, IReadOnlyList<Address> proposed)
    {
        if (_known.TryGetValue(ledger, out var known))
        {
            return known;
        }

        var request = LeaseKeyRequests.CreateIfAbsent(_prefix + ledger, Encode(proposed), leaseId: 0);
        var answer = await EtcdCall.Run($"claim of ledger {ledger}'s ensemble", _timeout,
            (deadline, cancel) => _client.TransactionAsync(request, deadline: deadline, cancellationToken: cancel)).ConfigureAwait(false);
        var ensemble = answer.Succeeded ? proposed : Decode(ledger, answer.Responses[0].ResponseRange.Kvs[0].Value.ToStringUtf8());
        return _known.GetOrAdd(ledger, ensemble);
    }

    /// <summary>The stored ensemble of <paramref name="ledger"/>, or null when no writer has fixed one yet.</summary>
    /// <exception cref="LeaseTimeoutException">etcd did not answer in time.</exception>
    /// <exception cref="LeaseException">etcd refused the call.</exception>
    public async Task<IReadOnlyList<Address>?> ReadAsync(string ledger)
    {
        if (_known.TryGetValue(ledger, out var known))
        {
            return known;
        }

        var request = LeaseKeyRequests.Get(_prefix + ledger);
        var answer = await EtcdCall.Run($"read of ledger {ledger}'s ensemble", _timeout,
            (deadline, cancel) => _client.GetAsync(request, deadline: deadline, cancellationToken: cancel)).ConfigureAwait(false);
        return answer.Kvs.Count == 0 ? null : _known.GetOrAdd(ledger, Decode(ledger, answer.Kvs[0].Value.ToStringUtf8()));
    }

    /// <summary>
    /// Every ledger that has an ensemble stored, with it, in ledger id order (a read journal's list of ledgers to
    /// merge). A ledger created after the call is in the next call's answer.
    /// </summary>
    /// <exception cref="LeaseTimeoutException">etcd did not answer in time.</exception>
    /// <exception cref="LeaseException">etcd refused the call.</exception>
    /// <exception cref="InvalidDataException">A stored ensemble is not a list of node addresses.</exception>
    public async Task<IReadOnlyList<(string Ledger, IReadOnlyList<Address> Ensemble)>> ListAsync()
    {
        var request = LeaseKeyRequests.Prefix(_prefix);
        var answer = await EtcdCall.Run("list of the ledgers' ensembles", _timeout,
            (deadline, cancel) => _client.GetAsync(request, deadline: deadline, cancellationToken: cancel)).ConfigureAwait(false);
        var ledgers = new List<(string, IReadOnlyList<Address>)>(answer.Kvs.Count);
        foreach (var kv in answer.Kvs)
        {
            var ledger = kv.Key.ToStringUtf8()[_prefix.Length..];
            ledgers.Add((ledger, _known.GetOrAdd(ledger, id => Decode(id, kv.Value.ToStringUtf8()))));
        }

        return ledgers;
    }

    private static string Encode(IReadOnlyList<Address> ensemble) => string.Join('\n', ensemble.Select(a => a.ToString()));

    private static IReadOnlyList<Address> Decode(string ledger, string stored)
    {
        try
        {
            return [.. stored.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Address.Parse)];
        }
        catch (UriFormatException e)
        {
            throw new InvalidDataException($"Ledger {ledger}'s ensemble in etcd is not a list of node addresses: '{stored}'.", e);
        }
    }
}
