using System.Text;
using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// A ledger with R = 3, W = 2 over three nodes talking Akka.Remote: quorum acknowledgement, writes with one or two
/// followers gone, and a new owner's recovery and fencing, checked against the history of acknowledged writes.
/// </summary>
public sealed class ReplicatedLedgerTests(ReplicationNodes nodes) : IClassFixture<ReplicationNodes>
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_write_is_acknowledged_only_once_two_copies_hold_it_durably()
    {
        var (ledger, copies, writer) = await OpenNew();

        for (var i = 0; i < 20; i++)
        {
            var first = await writer.AppendAsync([Entry("a", i)]);
            Assert.Equal(i, first);

            // Once acknowledged, at least W copies report the entry in their durable end.
            var ends = await DurableEnds(ledger, copies);
            Assert.True(ends.Count(e => e > first) >= 2, $"entry {first} acknowledged with durable ends {string.Join(", ", ends)}");
        }

        await writer.StopAsync();
    }

    [Fact]
    public async Task A_write_only_the_writers_copy_holds_waits_until_a_second_copy_holds_it()
    {
        var (ledger, copies, writer) = await OpenNew();
        await writer.AppendAsync([Entry("a", 0)]);
        await nodes.StopReplica(1, ledger);
        await nodes.StopReplica(2, ledger);

        var append = writer.AppendAsync([Entry("a", 1)]);
        await AwaitCondition(async () => (await DurableEnds(ledger, copies.Take(1)))[0] == 2);

        // Durable on one copy, and the writer has heard so (the local copy told it before answering us): not acknowledged.
        Assert.Equal(1, await writer.QuorumEndAsync());
        Assert.False(append.IsCompleted);

        nodes.StartReplica(1, ledger);
        Assert.Equal(1, await append);
        Assert.Equal(2, (await DurableEnds(ledger, [await nodes.Resolve(0, 1, ledger)]))[0]);
        await writer.StopAsync();
    }

    [Fact]
    public async Task With_one_follower_stopped_writes_complete_on_the_two_copies_left()
    {
        var (ledger, copies, writer) = await OpenNew();
        await writer.AppendAsync([Entry("a", 0)]);

        await nodes.StopReplica(2, ledger);
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(i, await writer.AppendAsync([Entry("a", i)]));
        }

        var ends = await DurableEnds(ledger, copies.Take(2));
        Assert.All(ends, e => Assert.Equal(11, e));
        await writer.StopAsync();
    }

    [Fact]
    public async Task With_two_followers_stopped_a_write_fails_with_LedgerQuorumException_within_the_timeout()
    {
        var (ledger, _, writer) = await OpenNew(Short);
        await writer.AppendAsync([Entry("a", 0)]);

        await nodes.StopReplica(1, ledger);
        await nodes.StopReplica(2, ledger);
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<LedgerQuorumException>(() => writer.AppendAsync([Entry("a", 1)]));

        Assert.Equal(2, error.Needed);
        Assert.Equal(1, error.Had);
        Assert.InRange(DateTime.UtcNow - started, Short * 0.9, Short * 3);
        await writer.StopAsync();
    }

    [Fact]
    public async Task A_ledger_of_one_copy_is_a_plain_local_log()
    {
        var ledger = NewLedger();
        var local = nodes.StartReplica(0, ledger);
        var writer = await ReplicatedLedger.OpenAsync(nodes.Systems[0], new ReplicatedLedgerOptions(ledger, 1, local, [], 1, ReplicationNodes.Timeout));

        Assert.Equal(0, await writer.AppendAsync([Entry("a", 0), Entry("a", 1)]));
        Assert.Equal(2, await writer.AppendAsync([Entry("a", 2)]));
        Assert.Equal(["a-0", "a-1", "a-2"], Texts(await writer.ReadAsync(0, 10)));
        await writer.StopAsync();
    }

    [Fact]
    public async Task A_new_owner_recovers_every_acknowledged_write_and_the_old_owner_is_refused_from_then_on()
    {
        var (ledger, _, old) = await OpenNew();
        for (var i = 0; i < 10; i++)
        {
            await old.AppendAsync([Entry("old", i)]);
        }

        // The old owner keeps writing while the new one takes over: each of these is acknowledged or refused.
        var racing = Enumerable.Range(10, 40).Select(i => (Text: $"old-{i}", Append: old.AppendAsync([Entry("old", i)]))).ToList();
        var owner = await Open(ledger, 1, epoch: 2, await nodes.ReplicasSeenBy(1, ledger));

        // Sealed: everything recovered is on W copies before the new owner writes or reads.
        Assert.Equal(owner.RecoveredEnd, (await owner.ReadAsync(0, 1000)).Count);
        var acknowledged = Enumerable.Range(0, 10).Select(i => $"old-{i}").ToList();
        foreach (var (text, append) in racing)
        {
            try
            {
                await append;
                acknowledged.Add(text);
            }
            catch (LedgerFencedException)
            {
            }
            catch (LedgerQuorumException)
            {
            }
        }

        // Nothing is acknowledged under the stale epoch any more.
        var late = await Assert.ThrowsAsync<LedgerFencedException>(() => old.AppendAsync([Entry("old", 99)]));
        Assert.Equal(2, late.HighestEpoch);

        for (var i = 0; i < 5; i++)
        {
            await owner.AppendAsync([Entry("new", i)]);
        }

        var history = Texts(await owner.ReadAsync(0, 1000));
        Assert.True(history.Count >= owner.RecoveredEnd + 5);
        Assert.Equal(history.Count, history.Distinct().Count());
        Assert.Equal(acknowledged, history.Where(acknowledged.Contains));
        var recovered = history.Take((int)owner.RecoveredEnd).ToList();
        Assert.Equal(acknowledged, recovered.Take(acknowledged.Count));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"new-{i}"), history.Skip((int)owner.RecoveredEnd));

        // Both followers of the new owner end up holding its ledger.
        var ends = await DurableEnds(ledger, await nodes.ReplicasSeenBy(1, ledger));
        Assert.True(ends.Count(e => e == history.Count) >= 2, string.Join(", ", ends));
        await old.StopAsync();
        await owner.StopAsync();
    }

    [Fact]
    public async Task Recovery_is_refused_below_an_epoch_a_copy_has_seen_and_fails_in_time_without_a_fence_quorum()
    {
        var (ledger, copies, writer) = await OpenNew(Short);
        await writer.AppendAsync([Entry("a", 0)]);

        var stale = await Assert.ThrowsAsync<LedgerFencedException>(() => Open(ledger, 0, epoch: 0, copies, Short));
        Assert.Equal(1, stale.HighestEpoch);

        await nodes.StopReplica(1, ledger);
        await nodes.StopReplica(2, ledger);
        var error = await Assert.ThrowsAsync<LedgerQuorumException>(() => Open(ledger, 0, epoch: 2, copies, Short));
        Assert.Equal(2, error.Needed);
        Assert.Equal(1, error.Had);
        await writer.StopAsync();
    }

    [Fact]
    public async Task Recovery_fails_with_LedgerQuorumException_when_the_copy_ahead_fences_but_never_serves_its_entries()
    {
        var ledger = NewLedger();
        var copies = await nodes.StartReplicas(ledger, owner: 0);
        await nodes.StopReplica(2, ledger);
        var ahead = nodes.Systems[1].ActorOf(Props.Create(() => new FencesButNeverServes()));

        var error = await Assert.ThrowsAsync<LedgerQuorumException>(() => Open(ledger, 0, epoch: 1, [copies[0], ahead, copies[2]], Short));
        Assert.Equal(ledger, error.Ledger);
    }

    [Fact]
    public async Task A_copy_holding_writes_no_quorum_acknowledged_is_cut_back_to_the_new_owners_ledger()
    {
        var (ledger, _, old) = await OpenNew(Short);
        for (var i = 0; i < 5; i++)
        {
            await old.AppendAsync([Entry("old", i)]);
        }

        // Alone, the old owner's copy takes three more entries that no quorum ever holds; then its node goes too.
        await nodes.StopReplica(1, ledger);
        await nodes.StopReplica(2, ledger);
        await Assert.ThrowsAsync<LedgerQuorumException>(() => old.AppendAsync([Entry("old", 5), Entry("old", 6), Entry("old", 7)]));

        await old.StopAsync();
        await nodes.StopReplica(0, ledger);

        nodes.StartReplica(1, ledger);
        nodes.StartReplica(2, ledger);
        IActorRef[] seen = [await nodes.Resolve(1, 1, ledger), nodes.PathTo(1, 0, ledger), await nodes.Resolve(1, 2, ledger)];
        var owner = await Open(ledger, 1, epoch: 2, seen);
        Assert.Equal(5, owner.RecoveredEnd);
        for (var i = 0; i < 3; i++)
        {
            await owner.AppendAsync([Entry("new", i)]);
        }

        // The old copy comes back: the writer finds where it parts from the ledger (epoch 1 ran to 5) and replaces the rest.
        nodes.StartReplica(0, ledger);
        var returned = await nodes.Resolve(1, 0, ledger);
        string[] expected = ["old-0", "old-1", "old-2", "old-3", "old-4", "new-0", "new-1", "new-2"];
        await AwaitCondition(async () => Texts((await returned.Ask<RangeRead>(new ReadRange(ledger, 0, 100), ReplicationNodes.Timeout)).Entries).SequenceEqual(expected));
        Assert.Equal(expected, Texts(await owner.ReadAsync(0, 100)));
        await owner.StopAsync();
    }

    [Fact]
    public async Task A_follower_that_missed_writes_is_caught_up_after_it_restarts()
    {
        // Entries of 12 KiB: catching up 30 of them takes several batches, each inside Akka.Remote's 128,000-byte frame.
        var (ledger, _, writer) = await OpenNew();
        await writer.AppendAsync([BigEntry(0)]);
        await nodes.StopReplica(2, ledger);
        for (var i = 1; i < 30; i++)
        {
            await writer.AppendAsync([BigEntry(i)]);
        }

        // The writer saw the copy terminate; it probes its path, finds the new incarnation and sends what it lacks.
        nodes.StartReplica(2, ledger);
        var restarted = await nodes.Resolve(0, 2, ledger);
        await AwaitCondition(async () => (await restarted.Ask<RangeRead>(new ReadRange(ledger, 0, 0), ReplicationNodes.Timeout)).DurableEnd == 30);
        await writer.AppendAsync([BigEntry(30)]);

        var copy = new List<LedgerEntry>();
        while (copy.Count < 31)
        {
            copy.AddRange((await restarted.Ask<RangeRead>(new ReadRange(ledger, copy.Count, 100), ReplicationNodes.Timeout)).Entries);
        }

        Assert.Equal(Enumerable.Range(0, 31).Select(i => Encoding.UTF8.GetString(BigEntry(i).Span)), Texts(copy));
        await writer.StopAsync();
    }

    /// <summary>A new ledger with a replica on every node, opened by node 0 at epoch 1.</summary>
    private async Task<(string Ledger, IReadOnlyList<IActorRef> Copies, ReplicatedLedger Writer)> OpenNew(TimeSpan? timeout = null)
    {
        var ledger = NewLedger();
        var copies = await nodes.StartReplicas(ledger, owner: 0);
        return (ledger, copies, await Open(ledger, 0, epoch: 1, copies, timeout));
    }

    private Task<ReplicatedLedger> Open(string ledger, int owner, long epoch, IReadOnlyList<IActorRef> copies, TimeSpan? timeout = null) =>
        ReplicatedLedger.OpenAsync(nodes.Systems[owner], new ReplicatedLedgerOptions(ledger, epoch, copies[0], [.. copies.Skip(1)], 2, timeout ?? ReplicationNodes.Timeout));

    private static async Task<IReadOnlyList<long>> DurableEnds(string ledger, IEnumerable<IActorRef> copies) =>
        await Task.WhenAll(copies.Select(async c => (await c.Ask<RangeRead>(new ReadRange(ledger, 0, 0), ReplicationNodes.Timeout)).DurableEnd));

    private static async Task AwaitCondition(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + ReplicationNodes.Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }

    private static ReadOnlyMemory<byte> Entry(string owner, int i) => Encoding.UTF8.GetBytes($"{owner}-{i}");

    private static ReadOnlyMemory<byte> BigEntry(int i) => Encoding.UTF8.GetBytes($"big-{i}-" + new string('.', 12 * 1024));

    private static List<string> Texts(IEnumerable<LedgerEntry> entries) => [.. entries.Select(e => Encoding.UTF8.GetString(e.Payload))];

    /// <summary>A copy that fences as if it held 5 entries of epoch 0 and then never answers a read (a node stalled mid-recovery).</summary>
    private sealed class FencesButNeverServes : ReceiveActor
    {
        public FencesButNeverServes() =>
            Receive<Fence>(f => Sender.Tell(new Fenced(f.Ledger, f.Epoch, 5, [new EpochStart(0, 0)])));
    }

    private static string NewLedger() => "ledger-" + Guid.NewGuid().ToString("N")[..8];
}
