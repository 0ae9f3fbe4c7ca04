using System.Diagnostics;
using Akka.Coordination;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests;

/// <summary>
/// etcd going away under a holder: killed and restarted on its data, frozen, or never there. The holder loses the lease
/// when its TTL runs out, every call in between fails with LeaseTimeoutException in bounded time, and after a restart
/// acquiring works again at a higher epoch.
/// </summary>
public sealed class EtcdOutageTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>, IAsyncLifetime
{
    // Each test starts with etcd running, whatever the one before it left.
    public Task InitializeAsync() => etcd.Server.EnsureRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_owner_whose_etcd_stops_loses_the_lease_after_its_ttl_and_acquires_again_after_the_restart()
    {
        await using var leases = LeaseSystem.Create(etcd.Server.Endpoint, Bounded.Ttl, Bounded.Interval, Bounded.OperationTimeout);
        var (a, lost) = await leases.HeldAsync("node-a");
        var first = a.Epoch;

        await etcd.Server.StopAsync();

        var reason = await lost.Lost;
        Assert.True(reason is LeaseTimeoutException, reason.ToString());
        Assert.False(a.CheckLease());
        Assert.Null(a.Epoch);
        await Bounded.FailsWithLeaseTimeoutAsync(() => a.Acquire());

        await etcd.Server.RestartAsync();

        // The client reconnects with a backoff of its own: until it has, an Acquire times out as above.
        Assert.True(await UntilAnsweredAsync(() => a.Acquire()));
        Assert.True(a.Epoch > first, $"epoch {a.Epoch} after {first}");
        Assert.False(await leases.Lease("node-b").Acquire());
        Assert.Equal(1, lost.Calls);
    }

    [Fact]
    public async Task An_unreachable_etcd_fails_acquire_with_LeaseTimeoutException_within_the_operation_timeout()
    {
        // A port nothing listens on: connections are refused and the client's own retries would go on for seconds.
        await using var leases = LeaseSystem.Create("http://127.0.0.1:9", Bounded.Ttl, Bounded.Interval, Bounded.OperationTimeout);
        var a = leases.Lease("node-a");

        await Bounded.FailsWithLeaseTimeoutAsync(() => a.Acquire());

        Assert.False(a.CheckLease());
        Assert.False(await a.Release());
    }

    // A frozen etcd (SIGSTOP) accepts connections and answers nothing: the worst case for a client, since no error comes.
    [Fact]
    public async Task Calls_to_a_frozen_etcd_fail_with_LeaseTimeoutException_and_the_holder_loses_the_lease_at_its_ttl()
    {
        await using var leases = LeaseSystem.Create(etcd.Server.Endpoint, Bounded.Ttl, Bounded.Interval, Bounded.OperationTimeout);
        var (a, lost) = await leases.HeldAsync("node-a");
        var b = leases.Lease("node-b");
        var other = leases.Lease("node-a", "shard-2");
        Assert.True(await other.Acquire());

        etcd.Server.Freeze();
        try
        {
            // First, while other's holding is still valid (its TTL runs out during the calls that follow).
            await Bounded.FailsWithLeaseTimeoutAsync(() => other.Release());
            Assert.False(other.CheckLease());
            await Bounded.FailsWithLeaseTimeoutAsync(() => b.Acquire());

            var reason = await lost.Lost;
            Assert.True(reason is LeaseTimeoutException, reason.ToString());
            Assert.False(a.CheckLease());
            await Bounded.FailsWithLeaseTimeoutAsync(() => a.Acquire());
        }
        finally
        {
            etcd.Server.Thaw();
        }
    }

    private static async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (LeaseTimeoutException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                // Not reconnected yet; each try is itself bounded by the operation timeout.
            }
        }
    }
}
