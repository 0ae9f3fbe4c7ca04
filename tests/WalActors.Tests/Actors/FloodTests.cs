using System.Buffers.Binary;
using Akka.Actor;
using WalActors.Recovery;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

/// <summary>
/// Five million fire-and-forget appends against a log that can hold 10,000: memory stays bounded, every append is
/// answered (acknowledged or overloaded), and every acknowledged record is in the log afterwards.
/// </summary>
/// <remarks>
/// <para>For the first half of the flood the disk is stalled (a gate holds every write), so nothing drains: code without
/// a bound would keep all 2.5 million of those appends (each ~110 bytes of message, payload, box and queue slot:
/// ~275 MB, and never answer them), far over the 64 MiB of managed heap stated here. Then the gate opens and, once the
/// held appends are acknowledged, the second half races a draining log.</para>
/// <para>The producer never waits for any one answer, but every 100,000 appends it lets its own inbox catch up (awaits
/// the answers to all but the last 100,000 and the 10,000 held): on two cores the counting actor is slower than a
/// producer whose appends are refused on its own thread, and an unread backlog of replies would measure the test, not
/// the log.</para>
/// <para>Records are 8-byte payloads (the append's number), at <see cref="Durability.Written"/> with sync-mode none on a
/// segmented store: the test is about admission and answers, and barriers would only make it slower (the window still
/// forces one every 32 MiB). Memory is the managed heap after a full collection, sampled eight times; the class runs
/// alone (<see cref="ProcessHeapMeasurement"/>) so that no other test's heap is sampled with it.</para>
/// </remarks>
[Collection(ProcessHeapMeasurement.Name)]
public sealed class FloodTests(ITestOutputHelper output) : WalTestKit(output)
{
    private const int Appends = 5_000_000;
    private const int Capacity = 10_000;
    private const int Chunk = 100_000;
    private const long MemoryBound = 64L * 1024 * 1024;
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task A_flood_through_the_actor_api_stays_bounded_in_memory_and_every_append_is_answered()
    {
        using var directory = new TempDirectory();
        var (log, gate, client) = await StartAsync(directory);
        var replies = new Tally(Appends);
        var collector = Sys.ActorOf(Props.Create(() => new TallyActor(replies)));
        var baseline = HeapAfterCollection();
        var peak = 0L;

        for (var i = 0; i < Appends; i++)
        {
            log.Tell(new Append(Numbered(i), Durability.Written, i), collector);
            peak = await Checkpoint(i, replies, gate, baseline, peak);
        }

        await replies.AllAnswered.WaitAsync(TimeSpan.FromSeconds(60));
        _output.WriteLine($"actor API: {replies.Acknowledged:N0} acknowledged, {replies.Overloaded:N0} overloaded, peak heap +{peak / (1024 * 1024)} MiB");
        await AssertOutcome(client, replies, peak);
    }

    [Fact]
    public async Task A_flood_through_the_client_stays_bounded_in_memory_and_every_append_is_answered()
    {
        using var directory = new TempDirectory();
        var (_, gate, client) = await StartAsync(directory);
        var replies = new Tally(Appends);
        var baseline = HeapAfterCollection();
        var peak = 0L;

        for (var i = 0; i < Appends; i++)
        {
            if (client.TryAppend(Numbered(i), out var appended, Durability.Written))
            {
                var id = i;
                _ = appended.ContinueWith(t => replies.Record(id, t.IsCompletedSuccessfully ? Outcome.Acknowledged : Outcome.Failed), TaskScheduler.Default);
            }
            else
            {
                replies.Record(i, Outcome.Overloaded);
            }

            peak = await Checkpoint(i, replies, gate, baseline, peak);
        }

        await replies.AllAnswered.WaitAsync(TimeSpan.FromSeconds(60));
        _output.WriteLine($"client: {replies.Acknowledged:N0} acknowledged, {replies.Overloaded:N0} overloaded, peak heap +{peak / (1024 * 1024)} MiB");
        await AssertOutcome(client, replies, peak);
    }

    /// <summary>Every chunk: sample the heap, let the inbox catch up; half-way: open the gate and wait for the held appends.</summary>
    private static async Task<long> Checkpoint(int i, Tally replies, GatedStore gate, long baseline, long peak)
    {
        if ((i + 1) % Chunk != 0)
        {
            return peak;
        }

        if ((i + 1) % (Chunk * 8) == 0)
        {
            peak = Math.Max(peak, HeapAfterCollection() - baseline);
        }

        if (i + 1 == Appends / 2)
        {
            peak = Math.Max(peak, HeapAfterCollection() - baseline);
            gate.Open();
            await replies.Answered(i + 1).WaitAsync(TimeSpan.FromSeconds(30));
        }
        else
        {
            await replies.Answered(i + 1 - Chunk - Capacity).WaitAsync(TimeSpan.FromSeconds(30));
        }

        return peak;
    }

    private async Task<(IActorRef Log, GatedStore Gate, WalClient Client)> StartAsync(TempDirectory directory)
    {
        var options = new WalOptions
        {
            Directory = directory.Combine("log"),
            SyncMode = SyncMode.None,
            MaxPendingAppends = Capacity,
        };
        GatedStore? gate = null;
        var log = WriteAheadLog.Start(Sys, options, () => gate = new GatedStore(LogOpener.OpenStore(options.Directory, options.SegmentSize)), options.Directory, "flood");
        var client = new WalClient(Sys, log);
        await client.Ready;
        gate!.Close();
        return (log, gate, client);
    }

    private static async Task AssertOutcome(WalClient client, Tally replies, long peak)
    {
        Assert.Equal(0, replies.Failed);
        Assert.Equal(Appends, replies.Acknowledged + replies.Overloaded);
        Assert.InRange(replies.Acknowledged, Capacity, Appends);
        Assert.InRange(peak, 0, MemoryBound);

        // Every acknowledged record is there, once.
        var found = new bool[Appends];
        var position = Lsn.Zero;
        while (true)
        {
            var page = await client.ReadAsync(position, 100_000, Durability.Written);
            if (page.Records.Count == 0)
            {
                break;
            }

            foreach (var record in page.Records)
            {
                var id = BinaryPrimitives.ReadInt32LittleEndian(record.Payload.Span);
                Assert.False(found[id], $"record {id} is in the log twice");
                found[id] = true;
            }

            position = page.Next;
        }

        Assert.All(Enumerable.Range(0, Appends).Where(replies.IsAcknowledged), id => Assert.True(found[id], $"acknowledged record {id} is missing"));
    }

    private static byte[] Numbered(int i)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(payload, i);
        return payload;
    }

    private static long HeapAfterCollection() => GC.GetTotalMemory(forceFullCollection: true);

    private enum Outcome : byte
    {
        None,
        Acknowledged,
        Overloaded,
        Failed,
    }

    /// <summary>One outcome per append, recorded from any thread; completes when every append has one.</summary>
    private sealed class Tally(int count)
    {
        private readonly Outcome[] _outcomes = new Outcome[count];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private Waiter? _waiter;
        private int _answered;
        private int _acknowledged;
        private int _overloaded;
        private int _failed;

        public Task AllAnswered => _all.Task;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public int Overloaded => Volatile.Read(ref _overloaded);

        public int Failed => Volatile.Read(ref _failed);

        public bool IsAcknowledged(int id) => _outcomes[id] == Outcome.Acknowledged;

        /// <summary>Completes once at least <paramref name="count"/> appends have been answered.</summary>
        public Task Answered(int count)
        {
            lock (_gate)
            {
                if (Volatile.Read(ref _answered) >= count)
                {
                    return Task.CompletedTask;
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiter = new Waiter(count, signal);
                return signal.Task;
            }
        }

        public void Record(int id, Outcome outcome)
        {
            if (_outcomes[id] != Outcome.None)
            {
                Interlocked.Increment(ref _failed); // answered twice
            }

            _outcomes[id] = outcome;
            switch (outcome)
            {
                case Outcome.Acknowledged:
                    Interlocked.Increment(ref _acknowledged);
                    break;
                case Outcome.Overloaded:
                    Interlocked.Increment(ref _overloaded);
                    break;
                default:
                    Interlocked.Increment(ref _failed);
                    break;
            }

            var answered = Interlocked.Increment(ref _answered);
            if (answered == _outcomes.Length)
            {
                _all.TrySetResult();
            }

            if (Volatile.Read(ref _waiter) is { } waiter && answered >= waiter.Count)
            {
                lock (_gate)
                {
                    if (_waiter is { } current && Volatile.Read(ref _answered) >= current.Count)
                    {
                        _waiter = null;
                        current.Signal.TrySetResult();
                    }
                }
            }
        }
    }

    private sealed record Waiter(int Count, TaskCompletionSource Signal);

    private sealed class TallyActor : ReceiveActor
    {
        public TallyActor(Tally tally)
        {
            Receive<Appended>(a => tally.Record((int)a.CorrelationId!, Outcome.Acknowledged));
            Receive<AppendFailed>(f => tally.Record((int)f.CorrelationId!, f.Reason is WalOverloadedException ? Outcome.Overloaded : Outcome.Failed));
        }
    }
}
