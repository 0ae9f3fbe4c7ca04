using System.Text;
using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// The writer keeps at most a few live batches in flight; appends made meanwhile wait and go to the copies as one
/// batch, so a follower under load gets few large batches, and every append is still acknowledged at its position.
/// </summary>
public sealed class LedgerWriterWindowTests(ReplicationNodes nodes) : IClassFixture<ReplicationNodes>
{
    private static readonly TimeSpan Timeout = ReplicationNodes.Timeout;

    [Fact]
    public async Task Appends_made_while_the_window_is_full_go_as_one_batch_once_the_quorum_moves()
    {
        var ledger = "window-" + Guid.NewGuid().ToString("N")[..8];
        var local = nodes.StartReplica(0, ledger);
        var follower = nodes.Systems[0].ActorOf(Props.Create(() => new HeldFollower()), "held-" + ledger);
        var writer = await ReplicatedLedger.OpenAsync(nodes.Systems[0], new ReplicatedLedgerOptions(ledger, 1, local, [follower], 2, Timeout));
        follower.Tell(HeldFollower.Hold.Instance);

        var first = Enumerable.Range(0, 4).Select(i => writer.AppendAsync([Entry(i)])).ToList();
        await AwaitBatches(follower, 4);
        var waiting = Enumerable.Range(4, 10).Select(i => writer.AppendAsync([Entry(i)])).ToList();

        // The window is full: nothing more goes out until the follower answers; then the ten go in one batch.
        Assert.Equal(4, (await follower.Ask<IReadOnlyList<ReplicateBatch>>(HeldFollower.Batches.Instance, Timeout)).Count(b => b.Entries.Count > 0));
        follower.Tell(HeldFollower.Release.Instance);
        var positions = await Task.WhenAll([.. first, .. waiting]);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), positions);

        var batches = await follower.Ask<IReadOnlyList<ReplicateBatch>>(HeldFollower.Batches.Instance, Timeout);
        var live = batches.Where(b => b.Entries.Count > 0).ToList();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, live.Select(b => b.First));
        Assert.Equal(Enumerable.Range(4, 10).Select(i => Text(Entry(i))), live[^1].Entries.Select(e => Encoding.UTF8.GetString(e.Payload)));
        await writer.StopAsync();
        await nodes.StopReplica(0, ledger);
    }

    private static async Task AwaitBatches(IActorRef follower, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while ((await follower.Ask<IReadOnlyList<ReplicateBatch>>(HeldFollower.Batches.Instance, Timeout)).Count(b => b.Entries.Count > 0) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the follower did not get {count} batches in time");
            await Task.Delay(20);
        }
    }

    private static ReadOnlyMemory<byte> Entry(int i) => Encoding.UTF8.GetBytes($"e{i}");

    private static string Text(ReadOnlyMemory<byte> entry) => Encoding.UTF8.GetString(entry.Span);

    /// <summary>
    /// A follower that fences and answers batches as a copy would (in memory), except that once told to hold it keeps
    /// its answers to live batches until released, and reports every batch it got.
    /// </summary>
    private sealed class HeldFollower : ReceiveActor
    {
        private readonly List<ReplicateBatch> _batches = [];
        private readonly List<(IActorRef To, Replicated Answer)> _held = [];
        private long _end;
        private bool _holding;

        public HeldFollower()
        {
            Receive<Fence>(f => Sender.Tell(new Fenced(f.Ledger, f.Epoch, _end, [])));
            Receive<Commit>(_ => { });
            Receive<ReplicateBatch>(b =>
            {
                _batches.Add(b);
                _end = Math.Max(_end, b.First + b.Entries.Count);
                var answer = new Replicated(b.Ledger, b.Epoch, _end);
                if (_holding && b.Entries.Count > 0)
                {
                    _held.Add((Sender, answer));
                }
                else
                {
                    Sender.Tell(answer);
                }
            });
            Receive<Hold>(_ => _holding = true);
            Receive<Release>(_ =>
            {
                _holding = false;
                foreach (var (to, answer) in _held)
                {
                    to.Tell(answer, Self);
                }

                _held.Clear();
            });
            Receive<Batches>(_ => Sender.Tell((IReadOnlyList<ReplicateBatch>)[.. _batches]));
        }

        public sealed class Hold
        {
            public static readonly Hold Instance = new();
        }

        public sealed class Release
        {
            public static readonly Release Instance = new();
        }

        public sealed class Batches
        {
            public static readonly Batches Instance = new();
        }
    }
}
