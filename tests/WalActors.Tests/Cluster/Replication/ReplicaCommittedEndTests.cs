using System.Text;
using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// A copy's committed end (the quorum end its writer told it): readers that ask for committed entries see nothing past
/// it, it survives a restart, only the writer the copy is aligned with can move it, and a writer that goes idle tells
/// every copy its last quorum end.
/// </summary>
public sealed class ReplicaCommittedEndTests(ReplicationNodes nodes) : IClassFixture<ReplicationNodes>
{
    private static readonly TimeSpan Timeout = ReplicationNodes.Timeout;

    [Fact]
    public async Task Committed_reads_stop_at_the_quorum_end_the_batches_carried_and_it_survives_a_restart()
    {
        var ledger = NewLedger();
        nodes.StartReplica(1, ledger);
        var replica = await nodes.Resolve(0, 1, ledger);
        await replica.Ask<object>(Batch(ledger, epoch: 1, first: 0, writerDurableEnd: 0, "a", "b"), Timeout);
        await replica.Ask<object>(Batch(ledger, epoch: 1, first: 2, writerDurableEnd: 2, "c"), Timeout);

        var committed = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10, CommittedOnly: true), Timeout);
        Assert.Equal(["a", "b"], Texts(committed.Entries));
        Assert.Equal((3L, 2L), (committed.DurableEnd, committed.CommittedEnd));
        Assert.Equal(["a", "b", "c"], Texts((await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10), Timeout)).Entries));
        Assert.Empty((await replica.Ask<RangeRead>(new ReadRange(ledger, 2, 10, CommittedOnly: true), Timeout)).Entries);

        // A notice shows at once and reaches the copy's log alone (no batch follows to carry it) once the copy is idle.
        var log = new WalClient(nodes.Systems[1], await nodes.Systems[1].ActorSelection(replica.Path / "log").ResolveOne(Timeout));
        var appendsBefore = (await log.GetStatusAsync()).Counters.Appends;
        replica.Tell(new Commit(ledger, 1, 3));
        await AwaitCommittedEnd(replica, ledger, 3);
        var deadline = DateTime.UtcNow + Timeout;
        while ((await log.GetStatusAsync()).Counters.Appends == appendsBefore)
        {
            Assert.True(DateTime.UtcNow < deadline, "the learned committed end was not written in time");
            await Task.Delay(20);
        }

        await nodes.StopReplica(1, ledger);
        nodes.StartReplica(1, ledger);
        replica = await nodes.Resolve(0, 1, ledger);
        var restarted = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10, CommittedOnly: true), Timeout);
        Assert.Equal(["a", "b", "c"], Texts(restarted.Entries));
        Assert.Equal(3, restarted.CommittedEnd);
        await nodes.StopReplica(1, ledger);
    }

    [Fact]
    public async Task A_commit_from_a_writer_the_copy_is_not_aligned_with_shows_nothing_of_an_older_writers_tail()
    {
        var ledger = NewLedger();
        nodes.StartReplica(2, ledger);
        var replica = await nodes.Resolve(0, 2, ledger);
        await replica.Ask<object>(Batch(ledger, epoch: 1, first: 0, writerDurableEnd: 0, "a", "b", "c"), Timeout);
        Assert.IsType<Fenced>(await replica.Ask<object>(new Fence(ledger, 2), Timeout));

        // Epoch 2's writer may have kept only "a" and written other entries after it: its quorum end says nothing of "b", "c" here.
        replica.Tell(new Commit(ledger, 2, 3));
        replica.Tell(new Commit(ledger, 1, 3));
        var read = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10, CommittedOnly: true), Timeout);
        Assert.Empty(read.Entries);
        Assert.Equal(0, read.CommittedEnd);

        // Its first batch aligns the copy (dropping "b" and "c"); from then on its quorum end counts.
        await replica.Ask<object>(Batch(ledger, epoch: 2, first: 1, writerDurableEnd: 1, "B"), Timeout);
        replica.Tell(new Commit(ledger, 2, 2));
        await AwaitCommittedEnd(replica, ledger, 2);
        Assert.Equal(["a", "B"], Texts((await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 10, CommittedOnly: true), Timeout)).Entries));
        await nodes.StopReplica(2, ledger);
    }

    [Fact]
    public async Task A_writer_that_goes_idle_tells_every_copy_its_quorum_end()
    {
        var ledger = NewLedger();
        var copies = await nodes.StartReplicas(ledger, owner: 0);
        var writer = await ReplicatedLedger.OpenAsync(nodes.Systems[0], new ReplicatedLedgerOptions(ledger, 1, copies[0], [.. copies.Skip(1)], 2, Timeout));
        for (var i = 0; i < 5; i++)
        {
            await writer.AppendAsync([Encoding.UTF8.GetBytes($"e{i}")]);
        }

        // The last append's quorum end travels in no batch (none follows it): only the idle notice can bring it.
        foreach (var copy in copies)
        {
            await AwaitCommittedEnd(copy, ledger, 5);
        }

        Assert.Equal(5, await writer.QuorumEndAsync());
        await writer.StopAsync();
    }

    private static async Task AwaitCommittedEnd(IActorRef replica, string ledger, long end)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while ((await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 0), Timeout)).CommittedEnd < end)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the copy's committed end did not reach {end} in time");
            await Task.Delay(20);
        }
    }

    private static ReplicateBatch Batch(string ledger, long epoch, long first, long writerDurableEnd, params string[] texts) =>
        new(ledger, epoch, first, [.. texts.Select(t => new LedgerEntry(epoch, Encoding.UTF8.GetBytes(t)))], writerDurableEnd);

    private static List<string> Texts(IEnumerable<LedgerEntry> entries) => [.. entries.Select(e => Encoding.UTF8.GetString(e.Payload))];

    private static string NewLedger() => "committed-" + Guid.NewGuid().ToString("N")[..8];
}
