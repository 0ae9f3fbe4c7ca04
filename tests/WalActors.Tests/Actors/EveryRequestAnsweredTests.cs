using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Tests.Support;

namespace WalActors.Tests.Actors;

/// <summary>
/// However a log stops, every append in flight and every request sent afterwards is answered, with success or a typed
/// error, within a bound: nothing is left pending.
/// </summary>
/// <remarks>
/// Each case holds the log's barriers and its writes past the first 64 KiB, so thousands of appends sit in every place
/// one can: waiting for a barrier in the durability actor, blocked in a writer, in mailboxes between the actors, queued in
/// the facade and in its mailbox. Then the log is stopped, and only then the held I/O released (an abrupt stop waits for
/// an fdatasync in progress to return, as it must; what is bounded is the time after that).
/// </remarks>
public sealed class EveryRequestAnsweredTests
{
    private const int ClientAppends = 3000;
    private const int ActorAppends = 3000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static readonly Config SystemConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = ERROR
        akka.stdout-loglevel = ERROR
        akka.log-dead-letters = off
        """).WithFallback(WalConfig.Defaults);

    public static TheoryData<string> StopKinds =>
    [
        "stopped gracefully with StopAsync",
        "stopped with system.Stop",
        "sent a PoisonPill",
        "killed",
        "faulted by a crashed writer",
        "faulted by a crashed sequencer",
        "faulted by a crashed durability actor",
        "faulted by a crashed sync actor",
        "faulted by a crashed reader",
        "stopped with the system by CoordinatedShutdown",
        "stopped with the system by Terminate",
    ];

    [Theory]
    [MemberData(nameof(StopKinds))]
    public async Task Every_append_in_flight_is_answered_within_the_bound_whatever_stops_the_log(string kind)
    {
        var system = ActorSystem.Create("answers", SystemConfig);
        try
        {
            var store = new InstrumentedStore();
            var log = WriteAheadLog.Start(system, Options(), () => store, "held", "wal");
            var client = new WalClient(system, log);
            await client.AppendAsync(Payload(0)); // acknowledged after a barrier: every actor of the pipeline exists now
            var victim = Victim(kind, system, log); // resolved now: a blocked actor cannot answer an Identify
            store.HoldSyncs();
            store.HoldWrites(offset => offset >= 64 * 1024);

            var replies = new ReplyTasks(system, ActorAppends);
            var clientTasks = new List<Task<Lsn>>(ClientAppends);
            for (var i = 0; i < Math.Max(ClientAppends, ActorAppends); i++)
            {
                if (i < ClientAppends)
                {
                    clientTasks.Add(client.AppendAsync(Payload(i), i % 3 == 0 ? Durability.Written : Durability.Durable));
                }

                if (i < ActorAppends)
                {
                    log.Tell(new Append(Payload(i), i % 3 == 0 ? Durability.Written : Durability.Durable, i), replies.Collector);
                }
            }

            // Both writers are blocked and the first barrier is held: the pipeline is full everywhere.
            Assert.True(await store.WriteHeld.WaitAsync(Bound));
            Assert.True(await store.SyncStarted.WaitAsync(Bound));

            var stopped = Stop(kind, system, log, victim);
            store.ReleaseWrites();
            store.ReleaseSyncs();
            await stopped.WaitAsync(Bound);

            await AllDone(clientTasks).WaitAsync(Bound);
            Assert.All(clientTasks, t => AssertAnswered(t));
            if (!kind.Contains("with the system", StringComparison.Ordinal))
            {
                // (A terminated system's collector is gone with it; the client tasks above stand for its appends.)
                await AllDone(replies.Tasks).WaitAsync(Bound);
                Assert.All(replies.Tasks, t => AssertAnswered(t.Result));
                Assert.Empty(replies.AnsweredTwice);
                await AssertLaterRequestsAreAnswered(system, log, client);
            }

            await AssertLaterClientCallsFail(client);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Appends_racing_an_abrupt_system_termination_are_all_answered()
    {
        for (var round = 0; round < 5; round++)
        {
            var system = ActorSystem.Create("racing", SystemConfig);
            var client = new WalClient(system, WriteAheadLog.Start(system, Options(), () => new InstrumentedStore(), "mem", "wal"));
            await client.Ready;
            var tasks = new Task<Lsn>[20_000];
            var sent = 0;
            var producing = Task.Run(() =>
            {
                for (var i = 0; i < tasks.Length; i++)
                {
                    tasks[i] = client.AppendAsync(Payload(i), Durability.Written);
                    Volatile.Write(ref sent, i + 1);
                }
            });

            // Terminate while the producer is mid-stream: some appends reach the log, some its dying mailbox, some none.
            while (Volatile.Read(ref sent) < 2_000 && !producing.IsCompleted)
            {
                await Task.Yield();
            }

            var terminated = system.Terminate();
            await producing.WaitAsync(Bound);
            await terminated.WaitAsync(Bound);
            await AllDone(tasks).WaitAsync(Bound);
            Assert.All(tasks, t => AssertAnswered(t));
        }
    }

    private static WalOptions Options() => WalTestKit.SmallLog();

    private static byte[] Payload(int i) => WalTestKit.Payload(i);

    private static IActorRef? Victim(string kind, ActorSystem system, IActorRef log)
    {
        var path = kind switch
        {
            "faulted by a crashed writer" => "writer-1",
            "faulted by a crashed sequencer" => "sequencer",
            "faulted by a crashed durability actor" => "durability",
            "faulted by a crashed sync actor" => "durability/sync",
            "faulted by a crashed reader" => "reader",
            _ => null,
        };
        return path is null ? null : system.ActorSelection($"{log.Path}/{path}").ResolveOne(Bound).Result;
    }

    private static Task Stop(string kind, ActorSystem system, IActorRef log, IActorRef? victim)
    {
        if (victim is not null)
        {
            victim.Tell(Kill.Instance);
            return Task.CompletedTask;
        }

        switch (kind)
        {
            case "stopped gracefully with StopAsync":
                return WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
            case "stopped with system.Stop":
                // The guardian stops its child when it gets to it, not when Stop returns: until then the log still serves,
                // so the later requests are sent only once it has terminated.
                var terminated = log.WatchAsync();
                system.Stop(log);
                return terminated;
            case "sent a PoisonPill":
                log.Tell(PoisonPill.Instance);
                return Task.CompletedTask;
            case "killed":
                log.Tell(Kill.Instance);
                return Task.CompletedTask;
            case "stopped with the system by CoordinatedShutdown":
                return CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
            case "stopped with the system by Terminate":
                return system.Terminate();
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Requests sent after the stop: answered at once with a typed error (or, for a status, the state).</summary>
    private static async Task AssertLaterRequestsAreAnswered(ActorSystem system, IActorRef log, WalClient client)
    {
        var failed = await log.Ask<AppendFailed>(new Append(Payload(1), CorrelationId: "late"), Bound);
        Assert.IsAssignableFrom<WalException>(failed.Reason);
        Assert.True(failed.Reason is WalStoppedException or WalFaultedException, failed.Reason.GetType().Name);
        Assert.Equal("late", failed.CorrelationId);

        var batchFailed = await log.Ask<AppendFailed>(new AppendBatch([Payload(2), Payload(3)], CorrelationId: "late batch"), Bound);
        Assert.True(batchFailed.Reason is WalStoppedException or WalFaultedException, batchFailed.Reason.GetType().Name);

        // A faulted log still serves reads of what is durable; a stopped one fails them at once (Ask throws the failure).
        var read = await Record.ExceptionAsync(() => log.Ask<ReadResult>(new Read(Lsn.Zero, 10), Bound));
        Assert.True(read is null or WalStoppedException or WalFaultedException, read?.GetType().Name);

        var sync = await Assert.ThrowsAnyAsync<WalException>(() => log.Ask<Synced>(Sync.Instance, Bound));
        Assert.True(sync is WalStoppedException or WalFaultedException, sync.GetType().Name);

        var tail = WalSource.Tail(log, Lsn.Zero).RunWith(Sink.Seq<WalRecord>(), system.Materializer());
        await AllDone([tail]).WaitAsync(Bound);
        Assert.True(tail.IsCompletedSuccessfully || tail.Exception!.InnerException is WalStoppedException or WalFaultedException);

        // A faulted log still serves reads of what is durable; a stopped one fails them at once.
        var clientRead = client.ReadAsync(Lsn.Zero, 10);
        await AllDone([clientRead]).WaitAsync(Bound);
        Assert.True(clientRead.IsCompletedSuccessfully || clientRead.Exception!.InnerException is WalStoppedException or WalFaultedException);
    }

    private static async Task AssertLaterClientCallsFail(WalClient client)
    {
        await AssertFailsTyped(() => client.AppendAsync(Payload(1)));
        await AssertFailsTyped(() => client.AppendBatchAsync([Payload(1)]));
        await AssertFailsTyped(() => client.SyncAsync());
        var tail = Task.Run(async () =>
        {
            await foreach (var _ in client.TailAsync(Lsn.Zero))
            {
            }
        });
        await AllDone([tail]).WaitAsync(Bound);
        Assert.True(tail.IsCompletedSuccessfully || tail.Exception!.InnerException is WalStoppedException or WalFaultedException, tail.Exception?.ToString());
    }

    private static async Task AssertFailsTyped<T>(Func<Task<T>> call)
    {
        var error = await Assert.ThrowsAnyAsync<WalException>(() => call().WaitAsync(Bound));
        Assert.True(error is WalStoppedException or WalFaultedException, error.GetType().Name);
    }

    private static void AssertAnswered(Task<Lsn> append)
    {
        Assert.True(append.IsCompleted, "pending");
        if (!append.IsCompletedSuccessfully)
        {
            var error = append.Exception!.InnerException;
            Assert.True(error is WalStoppedException or WalFaultedException, error?.ToString());
        }
    }

    private static void AssertAnswered(object reply)
    {
        if (reply is AppendFailed failed)
        {
            Assert.True(failed.Reason is WalStoppedException or WalFaultedException, failed.Reason.ToString());
        }
        else
        {
            Assert.IsType<Appended>(reply);
        }
    }

    private static Task AllDone<T>(IEnumerable<Task<T>> tasks) => Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

    private static Task AllDone(IEnumerable<Task> tasks) => Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
}
