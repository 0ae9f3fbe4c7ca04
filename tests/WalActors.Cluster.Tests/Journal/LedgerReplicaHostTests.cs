using Akka.Actor;
using Akka.Configuration;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// A node's replica host keeps every ledger copy on one log: it starts a copy on demand, after a restart starts every
/// copy in the log by itself (so a writer probing the copy by path finds it with what it held), rebuilds them all when
/// the log stops under them, and refuses a log it cannot open and the old layout of one log per copy with a typed error.
/// </summary>
public sealed class LedgerReplicaHostTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("walactors-replica-host-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_restarted_host_starts_every_copy_in_its_log_before_anyone_asks_for_them()
    {
        var first = Start();
        var copies = new[] { "counter+3", "counter+4", "snapshots+1" };
        for (var i = 0; i < copies.Length; i++)
        {
            var copy = await Ensure(first, copies[i]);
            Assert.Equal(copy, await Ensure(first, copies[i]));
            Assert.IsType<Replicated>(await copy.Ask<object>(new ReplicateBatch(copies[i], 1, 0, [new LedgerEntry(1, [7, (byte)i])], 0), Patience));
            Assert.IsType<Replicated>(await copy.Ask<object>(new ReplicateBatch(copies[i], 1, 1, [new LedgerEntry(1, [8, (byte)i])], 1), Patience));
        }

        Assert.True(Directory.Exists(Path.Combine(_directory, "ledger-copies")));
        Assert.False(Directory.Exists(Path.Combine(_directory, "ledgers")));
        await first.Terminate();

        var second = Start();
        // Any answer of the host comes after its start, so the copies in the log are started by then (asked for or not).
        await Ensure(second, "other+1");
        for (var i = 0; i < copies.Length; i++)
        {
            var byPath = second.ActorSelection(LedgerReplicaHost.PathAt(((ExtendedActorSystem)second).Provider.DefaultAddress) / copies[i]);
            var read = await (await byPath.ResolveOne(Patience)).Ask<RangeRead>(new ReadRange(copies[i], 0, 10), Patience);
            Assert.Equal([[7, (byte)i], [8, (byte)i]], read.Entries.Select(e => e.Payload));
            Assert.Equal(1, read.CommittedEnd);
        }

        await second.Terminate();
    }

    [Fact]
    public async Task When_the_log_stops_under_the_copies_they_are_stopped_and_rebuilt_from_it()
    {
        var system = Start();
        var copy = await Ensure(system, "counter+1");
        Assert.IsType<Replicated>(await copy.Ask<object>(new ReplicateBatch("counter+1", 1, 0, [new LedgerEntry(1, [1])], 0), Patience));
        var probe = system.ActorOf(Props.Create(() => new Watcher(copy)));
        var log = await system.ActorSelection(LedgerReplicaHost.PathAt(((ExtendedActorSystem)system).Provider.DefaultAddress) / "ledger-copies-log-1").ResolveOne(Patience);

        log.Tell(PoisonPill.Instance);

        Assert.True(await probe.Ask<bool>(Watcher.AwaitTerminated.Instance, Patience));
        var rebuilt = await Ensure(system, "counter+1");
        Assert.NotEqual(copy, rebuilt);
        Assert.Equal([1], Assert.Single((await rebuilt.Ask<RangeRead>(new ReadRange("counter+1", 0, 10), Patience)).Entries).Payload);
        Assert.IsType<Replicated>(await rebuilt.Ask<object>(new ReplicateBatch("counter+1", 1, 1, [new LedgerEntry(1, [2])], 1), Patience));
        await system.Terminate();
    }

    [Fact]
    public async Task A_directory_in_the_old_layout_of_one_log_per_copy_is_refused_not_read_or_ignored()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "ledgers", "counter+3"));
        File.WriteAllText(Path.Combine(_directory, "ledgers", "counter+3", "00000000000000000000.seg"), "old");
        var system = Start();

        var error = await Assert.ThrowsAsync<LedgerCopiesUnavailableException>(() => Ensure(system, "counter+3"));
        Assert.Contains("one log per ledger", error.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_directory, "ledger-copies"), error.Directory);
        Assert.True(File.Exists(Path.Combine(_directory, "ledgers", "counter+3", "00000000000000000000.seg")));
        await system.Terminate();
    }

    [Fact]
    public async Task A_log_in_use_is_a_typed_error_and_the_copies_are_served_once_it_is_free()
    {
        using var holder = ActorSystem.Create("holder", WalConfig.Defaults);
        var held = new WalClient(holder, WriteAheadLog.Start(holder, new WalOptions { Directory = Path.Combine(_directory, "ledger-copies") }));
        await held.Ready;
        var system = Start();

        var error = await Assert.ThrowsAsync<LedgerCopiesUnavailableException>(() => Ensure(system, "counter+3"));
        Assert.Contains(Causes(error), e => e is LogInUseException);

        await holder.Terminate();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await Ensure(system, "counter+3");
                break;
            }
            catch (LedgerCopiesUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        await system.Terminate();
    }

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static async Task<IActorRef> Ensure(ActorSystem system, string ledger) =>
        (await LedgerReplicas.Get(system).Host.Ask<ReplicaReady>(new EnsureReplica(ledger), Patience)).Replica;

    private ActorSystem Start() => ActorSystem.Create("replica-host", ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        walactors.cluster.journal.directory = "{{_directory.Replace("\\", "/", StringComparison.Ordinal)}}"
        """).WithFallback(WalClusterJournal.DefaultConfig()));

    /// <summary>Answers <see cref="AwaitTerminated"/> once the watched actor has stopped.</summary>
    private sealed class Watcher : ReceiveActor
    {
        private IActorRef? _asker;
        private bool _terminated;

        public Watcher(IActorRef watched)
        {
            Context.Watch(watched);
            Receive<Terminated>(_ =>
            {
                _terminated = true;
                _asker?.Tell(true);
            });
            Receive<AwaitTerminated>(_ =>
            {
                _asker = Sender;
                if (_terminated)
                {
                    Sender.Tell(true);
                }
            });
        }

        public sealed class AwaitTerminated
        {
            public static readonly AwaitTerminated Instance = new();
        }
    }
}
