using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using dotnet_etcd;
using Etcdserverpb;

namespace WalActors.Cluster.Tests;

/// <summary>
/// An actor system configured the way a user would (the shipped defaults as a fallback, endpoints and timeouts set),
/// leases loaded through Akka's LeaseProvider, and a client of its own to look at etcd from outside. Keys carry a
/// prefix of their own, so tests sharing one etcd never see each other's leases.
/// </summary>
public sealed class LeaseSystem : IAsyncDisposable
{
    private LeaseSystem(ActorSystem system, string endpoint, string keyPrefix)
    {
        System = system;
        KeyPrefix = keyPrefix;
        Outside = new EtcdClient(endpoint);
    }

    public ActorSystem System { get; }

    public string KeyPrefix { get; }

    /// <summary>The lease name the tests use unless they name another.</summary>
    public string LeaseName { get; } = "shard-1";

    /// <summary>A client of etcd that no lease uses: the "other client" that revokes or deletes behind a lease's back.</summary>
    public EtcdClient Outside { get; }

    public static LeaseSystem Create(string endpoint, TimeSpan ttl, TimeSpan interval, TimeSpan operationTimeout)
    {
        var prefix = $"tests/{Guid.NewGuid():N}/";
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            walactors.cluster.lease {
              endpoints = ["{{endpoint}}"]
              key-prefix = "{{prefix}}"
              heartbeat-timeout = {{(int)ttl.TotalMilliseconds}}ms
              heartbeat-interval = {{(int)interval.TotalMilliseconds}}ms
              lease-operation-timeout = {{(int)operationTimeout.TotalMilliseconds}}ms
            }
            """).WithFallback(WalCluster.DefaultConfig());
        return new LeaseSystem(ActorSystem.Create("lease-tests", config), endpoint, prefix);
    }

    /// <summary>The lease of <paramref name="owner"/>, as Cluster.Sharding's use-lease would load it.</summary>
    public EtcdLease Lease(string owner, string? leaseName = null) =>
        (EtcdLease)LeaseProvider.Get(System).GetLease(leaseName ?? LeaseName, WalCluster.LeaseConfigPath, owner);

    /// <summary>The lease of <paramref name="owner"/>, acquired, with a lease-lost callback to await.</summary>
    public async Task<(EtcdLease Lease, Callback Lost)> HeldAsync(string owner)
    {
        var lease = Lease(owner);
        var lost = new Callback();
        Assert.True(await lease.Acquire(lost.Action), $"{owner} did not acquire {LeaseName}");
        return (lease, lost);
    }

    /// <summary>The lease's key as etcd holds it now, or null.</summary>
    public async Task<Mvccpb.KeyValue?> ReadKeyAsync(string? leaseName = null)
    {
        var response = await Outside.GetAsync(KeyPrefix + (leaseName ?? LeaseName));
        return response.Kvs.FirstOrDefault();
    }

    public async ValueTask DisposeAsync()
    {
        Outside.Dispose();
        await System.Terminate();
    }
}
