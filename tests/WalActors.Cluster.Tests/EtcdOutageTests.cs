using System.Diagnostics;
using Akka.Coordination;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests;

/// <summary>
/// etcd going away under a holder: killed, then restarted on its data. The holder loses the lease when its TTL runs
/// out, every call in between fails in bounded time, and after the restart acquiring works again at a higher epoch.
/// </summary>
public sealed class EtcdOutageTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    // etcd's shortest TTL with its default election timeout (1 s) is 2 s.
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(2);

    // Only an upper bound on "fails in bounded time": generous, since this 2-core machine is shared.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_owner_whose_etcd_stops_loses_the_lease_after_its_ttl_and_acquires_again_after_the_restart()
    {
        await using var leases = LeaseSystem.Create(etcd.Server.Endpoint, Ttl, TimeSpan.FromMilliseconds(200), OperationTimeout);
        var a = leases.Lease("node-a");
        var lost = new Callback();
        Assert.True(await a.Acquire(lost.Action));
        var first = a.Epoch;

        await etcd.Server.StopAsync();

        var reason = await lost.Lost;
        Assert.True(reason is LeaseTimeoutException, reason.ToString());
        Assert.False(a.CheckLease());
        Assert.Null(a.Epoch);
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<LeaseTimeoutException>(() => a.Acquire());
        Assert.True(started.Elapsed < OperationTimeout + Slack, $"Acquire against a stopped etcd took {started.Elapsed}");

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
        await using var leases = LeaseSystem.Create("http://127.0.0.1:9", Ttl, TimeSpan.FromMilliseconds(200), OperationTimeout);
        var a = leases.Lease("node-a");

        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<LeaseTimeoutException>(() => a.Acquire());

        Assert.True(started.Elapsed < OperationTimeout + Slack, $"Acquire took {started.Elapsed}");
        Assert.False(a.CheckLease());
        Assert.False(await a.Release());
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
