using System.Text;
using Akka.Actor;
using WalActors.Cluster.Replication;
using WalActors.Tests.Support;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// A copy writes the batches of its writer that wait while it is busy in one log append (one barrier for all), answers
/// each with the end after its own batch, and lets nothing overtake a message that cannot join (a fence).
/// </summary>
public sealed class ReplicaBatchGroupingTests(ReplicationNodes nodes) : IClassFixture<ReplicationNodes>
{
    private static readonly TimeSpan Timeout = ReplicationNodes.Timeout;

    [Fact]
    public async Task Batches_that_wait_behind_a_write_share_one_barrier_and_a_fence_after_them_is_not_overtaken()
    {
        var ledger = "group-" + Guid.NewGuid().ToString("N")[..8];
        var store = new InstrumentedStore();
        var replica = nodes.StartReplica(1, ledger, () => store);
        Assert.IsType<Replicated>(await replica.Ask<object>(Batch(ledger, 1, 0, "a"), Timeout));

        // Hold the next barrier: the copy stays busy with "b" while everything below is sent (and waits in its stash).
        while (store.SyncStarted.Wait(0))
        {
        }

        store.HoldSyncs();
        var b = replica.Ask<object>(Batch(ledger, 1, 1, "b"), Timeout);
        Assert.True(await store.SyncStarted.WaitAsync(Timeout));
        var grouped = Enumerable.Range(0, 20).Select(i => replica.Ask<object>(Batch(ledger, 1, 2 + i, $"c{i}"), Timeout)).ToList();
        var fence = replica.Ask<object>(new Fence(ledger, 2), Timeout);
        var stale = replica.Ask<object>(Batch(ledger, 1, 22, "late"), Timeout);
        var syncsBefore = store.Syncs;

        store.ReleaseSyncs();

        Assert.Equal(2, Assert.IsType<Replicated>(await b).DurableEnd);
        for (var i = 0; i < grouped.Count; i++)
        {
            Assert.Equal(3 + i, Assert.IsType<Replicated>(await grouped[i]).DurableEnd);
        }

        Assert.Equal(22, Assert.IsType<Fenced>(await fence).DurableEnd);
        Assert.Equal(2, Assert.IsType<Refused>(await stale).HighestEpoch);

        // One barrier for the twenty batches and one for the fence (one each, without grouping, would be 21).
        Assert.InRange(store.Syncs - syncsBefore, 2, 3);
        var read = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 100), Timeout);
        Assert.Equal(["a", "b", .. Enumerable.Range(0, 20).Select(i => $"c{i}")], read.Entries.Select(e => Encoding.UTF8.GetString(e.Payload)));
        await nodes.StopReplica(1, ledger);
    }

    private static ReplicateBatch Batch(string ledger, long epoch, long first, string text) =>
        new(ledger, epoch, first, [new LedgerEntry(epoch, Encoding.UTF8.GetBytes(text))], 0);
}
