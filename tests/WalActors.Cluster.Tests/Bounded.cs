using System.Diagnostics;
using Akka.Coordination;

namespace WalActors.Cluster.Tests;

/// <summary>The timeouts of the outage tests, and the check that a call against a broken etcd fails in bounded time.</summary>
public static class Bounded
{
    /// <summary>etcd's shortest TTL with its default election timeout (1 s).</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(2);

    // Only an upper bound on "fails in bounded time": generous, since this 2-core machine is shared.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    /// <summary>Asserts that <paramref name="call"/> fails with LeaseTimeoutException within the operation timeout (and slack).</summary>
    public static async Task FailsWithLeaseTimeoutAsync(Func<Task> call)
    {
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<LeaseTimeoutException>(call);
        Assert.True(started.Elapsed < OperationTimeout + Slack, $"the call failed only after {started.Elapsed}");
    }
}
