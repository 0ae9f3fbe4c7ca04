using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace WalActors.Cluster;

/// <summary>
/// One holding of an etcd lease's key: the etcd lease it is attached to, its epoch, and until when this process may
/// take it as held. That time is measured on the monotonic clock from when a grant or keep-alive was <em>sent</em>
/// plus the TTL etcd answered; etcd starts the TTL when it receives the request, later, so this side always gives up
/// first.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Never disposed: a CancellationTokenSource without a timer or wait handle " +
    "holds only memory, and disposing it would race with a Release or a loss cancelling it from another thread.")]
internal sealed class LeaseHolding
{
    private readonly CancellationTokenSource _stop = new();
    private long _validUntil;

    public LeaseHolding(long etcdLeaseId, long epoch, long sentAt, long ttlSeconds)
    {
        EtcdLeaseId = etcdLeaseId;
        Epoch = epoch;
        Renewed(sentAt, ttlSeconds);
    }

    /// <summary>The etcd lease the key is attached to: kept alive by the heartbeat, revoked when the holding ends.</summary>
    public long EtcdLeaseId { get; }

    /// <summary>The key's create revision: the holding's epoch.</summary>
    public long Epoch { get; }

    /// <summary>Cancelled when the holding ends (released, lost, or the actor system terminated).</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>How long the holding is still valid here; zero or negative once it is not.</summary>
    public TimeSpan Remaining => Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Interlocked.Read(ref _validUntil));

    /// <summary>True while the last grant or keep-alive's TTL has not run out.</summary>
    public bool IsValid => Stopwatch.GetTimestamp() < Interlocked.Read(ref _validUntil);

    /// <summary>A grant or keep-alive sent at <paramref name="sentAt"/> (a Stopwatch timestamp) was answered with a TTL.</summary>
    public void Renewed(long sentAt, long ttlSeconds) => Interlocked.Exchange(ref _validUntil, sentAt + (ttlSeconds * Stopwatch.Frequency));

    /// <summary>Ends the holding: its heartbeat stops. Safe to call more than once, from any thread.</summary>
    public void End() => _stop.Cancel();
}
