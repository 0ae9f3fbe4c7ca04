using Akka.Coordination;
using dotnet_etcd;
using Etcdserverpb;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests;

/// <summary>
/// The lease's contract against a real etcd: one holder at a time, epochs that grow with every holding, and the
/// lease-lost callback when the key or its etcd lease goes from under the holder.
/// </summary>
public sealed class EtcdLeaseTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>, IAsyncLifetime
{
    // A TTL long enough that no test here loses a lease to a loaded machine's scheduling, a heartbeat short enough that
    // a key taken from under a holder is noticed at once.
    private LeaseSystem _leases = null!;

    public Task InitializeAsync()
    {
        _leases = LeaseSystem.Create(etcd.Server.Endpoint, ttl: TimeSpan.FromSeconds(10), interval: TimeSpan.FromMilliseconds(200),
            operationTimeout: TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _leases.DisposeAsync();

    [Fact]
    public async Task LeaseProvider_loads_an_EtcdLease_from_the_shipped_config_and_it_works()
    {
        var lease = LeaseProvider.Get(_leases.System).GetLease(_leases.LeaseName, WalCluster.LeaseConfigPath, "node-a");

        var etcdLease = Assert.IsType<EtcdLease>(lease);
        Assert.Same(lease, LeaseProvider.Get(_leases.System).GetLease(_leases.LeaseName, WalCluster.LeaseConfigPath, "node-a"));
        Assert.True(await lease.Acquire());
        Assert.True(lease.CheckLease());
        var key = await _leases.ReadKeyAsync();
        Assert.NotNull(key);
        Assert.Equal("node-a", key.Value.ToStringUtf8());
        Assert.Equal(key.CreateRevision, ((ILeaseEpoch)etcdLease).Epoch);
    }

    [Fact]
    public async Task Two_owners_contend_and_exactly_one_acquires()
    {
        var a = _leases.Lease("node-a");
        var b = _leases.Lease("node-b");

        var results = await Task.WhenAll(a.Acquire(), b.Acquire());

        Assert.Single(results, acquired => acquired);
        var (winner, loser) = results[0] ? (a, b) : (b, a);
        Assert.True(winner.CheckLease());
        Assert.False(loser.CheckLease());
        Assert.Null(loser.Epoch);
        Assert.False(await loser.Acquire());
        var key = await _leases.ReadKeyAsync();
        Assert.Equal(winner == a ? "node-a" : "node-b", key!.Value.ToStringUtf8());
        Assert.Equal(key.CreateRevision, winner.Epoch);
    }

    [Fact]
    public async Task Release_lets_the_other_owner_acquire_with_a_higher_epoch()
    {
        var a = _leases.Lease("node-a");
        var b = _leases.Lease("node-b");
        var aLost = new Callback();
        Assert.True(await a.Acquire(aLost.Action));
        var first = a.Epoch;
        Assert.False(await b.Acquire());

        Assert.True(await a.Release());

        Assert.False(a.CheckLease());
        Assert.Null(a.Epoch);
        Assert.Null(await _leases.ReadKeyAsync());
        Assert.True(await b.Acquire());
        Assert.True(b.Epoch > first, $"epoch {b.Epoch} after {first}");
        Assert.False(await a.Release());
        Assert.True(b.CheckLease());
        Assert.False(aLost.Called);
    }

    [Fact]
    public async Task Concurrent_acquires_on_one_instance_make_one_holding()
    {
        var a = _leases.Lease("node-a");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => a.Acquire())));

        Assert.All(results, Assert.True);
        var key = await _leases.ReadKeyAsync();
        Assert.Equal(1, key!.Version);
        Assert.Equal(key.CreateRevision, a.Epoch);
        Assert.True(await a.Release());
        Assert.False(await a.Release());
    }

    [Fact]
    public async Task Revoking_the_etcd_lease_from_outside_calls_the_lease_lost_callback()
    {
        var (a, lost) = await _leases.HeldAsync("node-a");
        var key = await _leases.ReadKeyAsync();

        await _leases.Outside.LeaseRevokeAsync(new LeaseRevokeRequest { ID = key!.Lease });

        var reason = await lost.Lost;
        Assert.IsType<LeaseException>(reason);
        Assert.False(a.CheckLease());
        Assert.Null(a.Epoch);
        Assert.True(await _leases.Lease("node-b").Acquire());
        Assert.Equal(1, lost.Calls);
    }

    [Fact]
    public async Task A_key_deleted_and_taken_by_another_owner_calls_the_lease_lost_callback()
    {
        var (a, lost) = await _leases.HeldAsync("node-a");
        var first = a.Epoch;

        await _leases.Outside.DeleteAsync(_leases.KeyPrefix + _leases.LeaseName);
        var b = _leases.Lease("node-b");
        Assert.True(await b.Acquire());

        var reason = await lost.Lost;
        Assert.IsType<LeaseException>(reason);
        Assert.False(a.CheckLease());
        Assert.True(b.Epoch > first);
        Assert.Equal("node-b", (await _leases.ReadKeyAsync())!.Value.ToStringUtf8());
        Assert.False(await a.Release());
        Assert.True(b.CheckLease());
    }

    [Fact]
    public async Task Leases_of_other_names_are_independent()
    {
        var a = _leases.Lease("node-a", "shard-1");
        var b = _leases.Lease("node-b", "shard-2");

        Assert.True(await a.Acquire());
        Assert.True(await b.Acquire());
        Assert.NotEqual(a.Epoch, b.Epoch);
    }
}
