using System.Diagnostics;
using Akka.Coordination;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests;

/// <summary>
/// etcd that accepts connections and answers nothing (SIGSTOP): the worst case for a client, since no error ever comes.
/// Every lease operation must still end within lease-operation-timeout, and the holder must give up at its TTL.
/// </summary>
public sealed class FrozenEtcdTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Calls_to_a_frozen_etcd_fail_with_LeaseTimeoutException_and_the_holder_loses_the_lease_at_its_ttl()
    {
        await using var leases = LeaseSystem.Create(etcd.Server.Endpoint, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200), OperationTimeout);
        var a = leases.Lease("node-a");
        var b = leases.Lease("node-b");
        var lost = new Callback();
        Assert.True(await a.Acquire(lost.Action));

        etcd.Server.Freeze();
        try
        {
            var started = Stopwatch.StartNew();
            await Assert.ThrowsAsync<LeaseTimeoutException>(() => b.Acquire());
            Assert.True(started.Elapsed < OperationTimeout + Slack, $"Acquire against a frozen etcd took {started.Elapsed}");

            var reason = await lost.Lost;
            Assert.True(reason is LeaseTimeoutException, reason.ToString());
            Assert.IsType<LeaseTimeoutException>(await lost.Lost);
            Assert.False(a.CheckLease());
            started.Restart();
            await Assert.ThrowsAsync<LeaseTimeoutException>(() => a.Acquire());
            Assert.True(started.Elapsed < OperationTimeout + Slack, $"Acquire against a frozen etcd took {started.Elapsed}");
        }
        finally
        {
            etcd.Server.Thaw();
        }
    }
}
