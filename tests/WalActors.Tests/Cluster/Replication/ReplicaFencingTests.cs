using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>A replica's fencing: stale epochs are refused, before and after a restart, and a new writer replaces what no quorum held.</summary>
public sealed class ReplicaFencingTests(ReplicationNodes nodes) : IClassFixture<ReplicationNodes>
{
    private static readonly TimeSpan Timeout = ReplicationNodes.Timeout;

    [Fact]
    public async Task A_restarted_replica_still_refuses_the_epoch_it_was_fenced_above()
    {
        var ledger = "fence-" + Guid.NewGuid().ToString("N")[..8];
        nodes.StartReplica(1, ledger);
        var replica = await nodes.Resolve(0, 1, ledger);
        Assert.IsType<Replicated>(await replica.Ask<object>(Batch(ledger, epoch: 4, first: 0, "a", "b"), Timeout));
        var fenced = Assert.IsType<Fenced>(await replica.Ask<object>(new Fence(ledger, 5), Timeout));
        Assert.Equal(2, fenced.DurableEnd);

        await nodes.StopReplica(1, ledger);
        nodes.StartReplica(1, ledger);
        replica = await nodes.Resolve(0, 1, ledger);

        var refused = Assert.IsType<Refused>(await replica.Ask<object>(Batch(ledger, epoch: 4, first: 2, "c"), Timeout));
        Assert.Equal(5, refused.HighestEpoch);
        Assert.IsType<Refused>(await replica.Ask<object>(new Fence(ledger, 4), Timeout));
        var read = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10), Timeout);
        Assert.Equal(["a", "b"], read.Entries.Select(e => System.Text.Encoding.UTF8.GetString(e.Payload)));
        await nodes.StopReplica(1, ledger);
    }

    [Fact]
    public async Task A_new_writers_first_batch_replaces_the_tail_and_a_gap_is_answered_with_Behind()
    {
        var ledger = "tail-" + Guid.NewGuid().ToString("N")[..8];
        nodes.StartReplica(2, ledger);
        var replica = await nodes.Resolve(0, 2, ledger);
        await replica.Ask<object>(Batch(ledger, epoch: 1, first: 0, "a", "b", "c"), Timeout);

        var behind = Assert.IsType<Behind>(await replica.Ask<object>(Batch(ledger, epoch: 2, first: 5, "x"), Timeout));
        Assert.Equal(3, behind.DurableEnd);
        var replaced = Assert.IsType<Replicated>(await replica.Ask<object>(Batch(ledger, epoch: 2, first: 1, "B"), Timeout));
        Assert.Equal(2, replaced.DurableEnd);

        // A resend of the same writer skips what is already there.
        Assert.Equal(3, Assert.IsType<Replicated>(await replica.Ask<object>(Batch(ledger, epoch: 2, first: 1, "B", "C"), Timeout)).DurableEnd);

        await nodes.StopReplica(2, ledger);
        nodes.StartReplica(2, ledger);
        replica = await nodes.Resolve(0, 2, ledger);
        var fenced = Assert.IsType<Fenced>(await replica.Ask<object>(new Fence(ledger, 3), Timeout));
        Assert.Equal(3, fenced.DurableEnd);
        Assert.Equal([new EpochStart(1, 0), new EpochStart(2, 1)], fenced.History);
        var read = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10), Timeout);
        Assert.Equal(["a", "B", "C"], read.Entries.Select(e => System.Text.Encoding.UTF8.GetString(e.Payload)));
        await nodes.StopReplica(2, ledger);
    }

    private static ReplicateBatch Batch(string ledger, long epoch, long first, params string[] texts) =>
        new(ledger, epoch, first, [.. texts.Select(t => new LedgerEntry(epoch, System.Text.Encoding.UTF8.GetBytes(t)))], 0);
}
