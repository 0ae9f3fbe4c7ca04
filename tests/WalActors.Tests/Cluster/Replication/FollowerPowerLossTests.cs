using System.Text;
using Akka.Actor;
using Akka.Event;
using WalActors.Cluster.Replication;
using Xunit.Abstractions;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// Followers lose power while the writer keeps appending: a follower's log runs on a <see cref="FollowerDisk"/>, its
/// power goes off at an operation of its store (mid-write, mid-barrier, or as a barrier returns), the replica is stopped
/// with nothing more reaching the disk, the unsynced writes are dropped or torn, and the replica restarts on what
/// survived. After each round every acknowledged write is at its position on at least W copies, read from the copies
/// themselves, and a new owner at the end recovers them all.
/// </summary>
public sealed class FollowerPowerLossTests(ReplicationNodes nodes, ITestOutputHelper output) : IClassFixture<ReplicationNodes>
{
    private const int WriteQuorum = 2;
    private const int MostInFlight = 8;

    // What a write that cannot reach a quorum waits before LedgerQuorumException: short, since the run waits it out
    // each time both followers are down; a write that times out on a stalled machine is only counted unacknowledged.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    // Bounds only a step that fails (or a recovery read on a loaded machine); no step of a passing run waits it out.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // A claim asked of a follower whose disk is off may never be answered: it then counts as no claim.
    private static readonly TimeSpan ClaimPatience = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Every_acknowledged_write_survives_followers_losing_power_while_the_writer_keeps_appending()
    {
        const int Rounds = 8;
        var run = new Run(nodes, "powerloss-" + Guid.NewGuid().ToString("N")[..8], new Random(15));
        await run.Start();
        for (var round = 0; round < Rounds; round++)
        {
            // Each follower in turn; every fourth round the other one goes too while the first is down.
            var first = 1 + (round % 2);
            await run.LoseFollower(first, output);
            if (round % 4 == 3)
            {
                await run.LoseFollower(3 - first, output);
                await run.WritesFailWithoutQuorum(3);
                await run.Restart(3 - first);
            }
            else
            {
                await run.Write(10);
            }

            await run.Restart(first);
            await run.Write(20);
            await run.CheckCopies();
        }

        var recovered = await run.CheckNewOwner();
        output.WriteLine(
            $"{run.Losses} power losses ({run.LossesThatTookData} took unsynced data), {run.Acknowledged} acknowledged writes checked " +
            $"on every copy after each round and in the new owner's {recovered} entries; {run.Unacknowledged} writes unacknowledged, " +
            $"{run.RefusedWithoutQuorum} of them refused with both followers down; {run.ClaimsChecked} restarts held every entry their follower had called durable");
        Assert.Equal(Rounds + (Rounds / 4), run.Losses);
        Assert.Equal(run.Losses, run.ClaimsChecked);
        Assert.True(run.LossesThatTookData > 0, "no power loss took away an unsynced write: the losses did not bite");
        Assert.True(run.Acknowledged >= Rounds * 20, $"only {run.Acknowledged} writes were acknowledged");
    }

    [Fact]
    public async Task A_follower_whose_log_cannot_be_recovered_stops_with_an_error_and_the_ledger_is_served_around_it()
    {
        var ledger = "damaged-" + Guid.NewGuid().ToString("N")[..8];
        var disk = new FollowerDisk();
        nodes.StartReplica(0, ledger);
        nodes.StartReplica(1, ledger);
        var follower = nodes.StartReplica(2, ledger, disk.Mount());
        var writer = await Open(ledger, epoch: 1, await nodes.ReplicasSeenBy(0, ledger));
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(i, await writer.AppendAsync([Text($"a-{i}")]));
        }

        // A clean stop syncs everything; then bytes in the middle of the log go bad, which no torn tail explains.
        await writer.StopAsync();
        Assert.True(await follower.GracefulStop(Patience));
        disk.LosePower(new Random(15), wholePageCache: true);
        disk.Damage(0.3);

        var error = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = nodes.Systems[2].ActorOf(Props.Create(() => new FailStopWatch(ledger, error, stopped)));
        nodes.Systems[2].EventStream.Subscribe(watch, typeof(Error));
        watch.Tell(nodes.StartReplica(2, ledger, disk.Mount()));

        // It answers nothing: it stops, and says why.
        await stopped.Task.WaitAsync(Patience);
        var logged = await error.Task.WaitAsync(Patience);
        output.WriteLine(logged.ToString());
        Assert.IsAssignableFrom<WalException>(logged.Cause);

        // A new owner fences the two copies left and serves every write, the old and its own.
        IActorRef[] copies = [await nodes.Resolve(0, 0, ledger), await nodes.Resolve(0, 1, ledger), nodes.PathTo(0, 2, ledger)];
        var owner = await Open(ledger, epoch: 2, copies);
        Assert.Equal(30, owner.RecoveredEnd);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(30 + i, await owner.AppendAsync([Text($"b-{i}")]));
        }

        var texts = (await owner.ReadAsync(0, 100)).Select(e => Encoding.UTF8.GetString(e.Payload));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"a-{i}").Concat(Enumerable.Range(0, 10).Select(i => $"b-{i}")), texts);
        await owner.StopAsync();
        nodes.Systems[2].Stop(watch);
    }

    private Task<ReplicatedLedger> Open(string ledger, long epoch, IReadOnlyList<IActorRef> copies) =>
        ReplicatedLedger.OpenAsync(nodes.Systems[0], new ReplicatedLedgerOptions(ledger, epoch, copies[0], [.. copies.Skip(1)], WriteQuorum, Patience));

    private static ReadOnlyMemory<byte> Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// One ledger written by node 0, its followers on nodes 1 and 2 on disks that lose power, and the history of what
    /// the writer acknowledged: each entry's text is unique, so a position holds the one text acknowledged there.
    /// </summary>
    private sealed class Run(ReplicationNodes nodes, string ledger, Random random)
    {
        private readonly Dictionary<int, FollowerDisk> _disks = new() { [1] = new(), [2] = new() };
        private readonly Dictionary<int, IActorRef> _followers = [];
        private readonly Dictionary<long, string> _acknowledged = [];
        private readonly Dictionary<int, long> _claimedDurable = new() { [1] = 0, [2] = 0 };
        private ReplicatedLedger? _writer;
        private int _texts;

        public int Losses { get; private set; }

        /// <summary>Restarts at which the follower's claimed durable end was checked against what survived.</summary>
        public int ClaimsChecked { get; private set; }

        public int LossesThatTookData => _disks.Values.Sum(d => d.LossesThatTookData);

        public int Acknowledged => _acknowledged.Count;

        public int Unacknowledged { get; private set; }

        public int RefusedWithoutQuorum { get; private set; }

        private ReplicatedLedger Writer => _writer ?? throw new InvalidOperationException("The run has not started.");

        public async Task Start()
        {
            nodes.StartReplica(0, ledger);
            foreach (var node in _disks.Keys)
            {
                _followers[node] = nodes.StartReplica(node, ledger, _disks[node].Mount());

                // Asked at once, locally: first in the new replica's mailbox, so it answers with what it loaded from the
                // disk, before any catch-up from the writer (which reaches it over Akka.Remote) can add to it.
                var loaded = await DurableEnd(_followers[node]);
            }

            var copies = await nodes.ReplicasSeenBy(0, ledger);
            _writer = await ReplicatedLedger.OpenAsync(
                nodes.Systems[0], new ReplicatedLedgerOptions(ledger, 1, copies[0], [.. copies.Skip(1)], WriteQuorum, WriteTimeout));
        }

        /// <summary>Keeps appending until <paramref name="node"/>'s disk loses power, then stops its replica and keeps what survived.</summary>
        public async Task LoseFollower(int node, ITestOutputHelper output)
        {
            // Every other loss comes as a barrier returns and takes the whole page cache: the barrier's writes are gone.
            var disk = _disks[node];
            var wholePageCache = Losses++ % 2 == 1;
            disk.Store.PowerOffAfter(random.Next(1, 40), atBarrierEnd: wholePageCache);
            var writes = new Queue<(string[] Texts, Task<long> Append)>();
            var claims = new List<Task<long>>();
            var deadline = DateTime.UtcNow + Patience;
            while (!disk.Store.IsOff)
            {
                Assert.True(DateTime.UtcNow < deadline, $"node {node}'s disk saw too few operations to lose power");

                // What the follower says is durable, asked all along (answers after the loss too): all of it must survive.
                claims.Add(_followers[node].Ask<RangeRead>(new ReadRange(ledger, 0, 0), ClaimPatience).ContinueWith(
                    t => t.IsCompletedSuccessfully ? t.Result.DurableEnd : 0, TaskScheduler.Default));
                writes.Enqueue(Append(random.Next(1, 4)));
                if (writes.Count >= MostInFlight)
                {
                    await Settle(writes.Dequeue());
                }
            }

            // Abrupt: the disk is off, so nothing more reaches it, however the replica and its log go.
            Assert.True(await _followers[node].GracefulStop(Patience));
            _claimedDurable[node] = (await Task.WhenAll(claims)).DefaultIfEmpty(0).Max();
            output.WriteLine($"loss {Losses} on node {node}: {disk.LosePower(random, wholePageCache)}");
            while (writes.TryDequeue(out var write))
            {
                await Settle(write);
            }
        }

        /// <summary>With both followers down, writes fail with LedgerQuorumException: only the writer's copy can hold them.</summary>
        public async Task WritesFailWithoutQuorum(int count)
        {
            var writes = Enumerable.Range(0, count).Select(_ => Append(1).Append).ToList();
            foreach (var write in writes)
            {
                await Assert.ThrowsAsync<LedgerQuorumException>(() => write);
            }

            Unacknowledged += count;
            RefusedWithoutQuorum += count;
        }

        public async Task Restart(int node)
        {
            _followers[node] = nodes.StartReplica(node, ledger, _disks[node].Mount());

            // Asked at once, locally: first in the new replica's mailbox, so it answers with what it loaded from the
            // disk, before any catch-up from the writer (which reaches it over Akka.Remote) can add to it.
            var loaded = await DurableEnd(_followers[node]);

            // What survived is a prefix of the writer's copy: no torn entry read as one, none out of place. (The writer
            // may already be catching it up; that only extends the prefix.)
            var survived = await ReadAll(await nodes.Resolve(0, node, ledger));
            var writers = await ReadAll(await nodes.Resolve(0, 0, ledger));
            Assert.True(survived.Count <= writers.Count && survived.SequenceEqual(writers.Take(survived.Count)),
                $"node {node} restarted with {survived.Count} entries that are not a prefix of the writer's {writers.Count}");

            // Fewer entries loaded than the follower said were durable before the loss is a lie it told.
            Assert.True(loaded >= _claimedDurable[node],
                $"node {node} said {_claimedDurable[node]} entries were durable and restarted with {loaded}");
            ClaimsChecked++;
        }

        public async Task Write(int count)
        {
            var writes = Enumerable.Range(0, count).Select(_ => Append(random.Next(1, 4))).ToList();
            foreach (var write in writes)
            {
                await Settle(write);
            }
        }

        /// <summary>
        /// Waits until the writer has caught every copy up to its own, then checks each acknowledged write is at its
        /// position on at least W copies and no copy holds a text twice.
        /// </summary>
        public async Task CheckCopies()
        {
            var copies = await nodes.ReplicasSeenBy(0, ledger);
            var deadline = DateTime.UtcNow + Patience;
            while ((await Task.WhenAll(copies.Select(DurableEnd))).Distinct().Count() > 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the restarted followers were not caught up in time");
                await Task.Delay(20);
            }

            var contents = await Task.WhenAll(copies.Select(ReadAll));
            foreach (var content in contents)
            {
                Assert.Equal(content.Count, content.Distinct().Count());
                Assert.Equal(contents[0], content);
            }

            foreach (var (position, text) in _acknowledged)
            {
                var holding = contents.Count(c => position < c.Count && c[(int)position] == text);
                Assert.True(holding >= WriteQuorum, $"{text}, acknowledged at {position}, is on {holding} copies");
            }
        }

        /// <summary>A new owner (node 1, a higher epoch) recovers every acknowledged write at its position; returns its entry count.</summary>
        public async Task<int> CheckNewOwner()
        {
            IActorRef[] copies = [await nodes.Resolve(1, 1, ledger), nodes.PathTo(1, 0, ledger), nodes.PathTo(1, 2, ledger)];
            var owner = await ReplicatedLedger.OpenAsync(
                nodes.Systems[1], new ReplicatedLedgerOptions(ledger, 2, copies[0], [.. copies.Skip(1)], WriteQuorum, Patience));
            var history = new List<string>();
            while (history.Count < owner.RecoveredEnd)
            {
                history.AddRange((await owner.ReadAsync(history.Count, 4096)).Select(e => Encoding.UTF8.GetString(e.Payload)));
            }

            Assert.Equal(history.Count, history.Distinct().Count());
            foreach (var (position, text) in _acknowledged)
            {
                Assert.True(position < history.Count && history[(int)position] == text, $"{text}, acknowledged at {position}, was not recovered there");
            }

            await owner.StopAsync();
            await Writer.StopAsync();
            return history.Count;
        }

        private (string[] Texts, Task<long> Append) Append(int entries)
        {
            var texts = Enumerable.Range(0, entries).Select(_ => $"w-{_texts++}").ToArray();
            return (texts, Writer.AppendAsync([.. texts.Select(Text)]));
        }

        /// <summary>Records an acknowledged write at its positions; one that timed out may or may not be in the ledger.</summary>
        private async Task Settle((string[] Texts, Task<long> Append) write)
        {
            try
            {
                var first = await write.Append;
                for (var i = 0; i < write.Texts.Length; i++)
                {
                    Assert.True(_acknowledged.TryAdd(first + i, write.Texts[i]), $"{write.Texts[i]} acknowledged at {first + i}, a position already acknowledged");
                }
            }
            catch (LedgerQuorumException)
            {
                Unacknowledged++;
            }
        }

        private async Task<long> DurableEnd(IActorRef copy) =>
            (await copy.Ask<RangeRead>(new ReadRange(ledger, 0, 0), Patience)).DurableEnd;

        private async Task<List<string>> ReadAll(IActorRef copy)
        {
            var texts = new List<string>();
            while (true)
            {
                var read = await copy.Ask<RangeRead>(new ReadRange(ledger, texts.Count, 4096), Patience);
                if (read.Entries.Count == 0)
                {
                    return texts;
                }

                texts.AddRange(read.Entries.Select(e => Encoding.UTF8.GetString(e.Payload)));
            }
        }
    }

    /// <summary>Watches the replica it is sent and completes once it has stopped, and once an error naming the ledger is logged.</summary>
    private sealed class FailStopWatch : ReceiveActor
    {
        public FailStopWatch(string ledger, TaskCompletionSource<Error> error, TaskCompletionSource stopped)
        {
            Receive<Error>(e =>
            {
                if (e.Message?.ToString()?.Contains(ledger, StringComparison.Ordinal) == true)
                {
                    error.TrySetResult(e);
                }
            });
            Receive<IActorRef>(replica => Context.Watch(replica));
            Receive<Terminated>(_ => stopped.TrySetResult());
        }
    }
}
