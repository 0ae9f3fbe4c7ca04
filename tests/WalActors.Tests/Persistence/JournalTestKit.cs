using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using WalActors.Persistence;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>
/// A TestKit whose system's default journal is a WalActors journal in a fresh directory, with helpers that speak the
/// journal protocol directly (as Akka's journal specification does).
/// </summary>
public abstract class JournalTestKit : TestKit
{
    protected const int ActorInstanceId = 1;

    protected JournalTestKit(ITestOutputHelper output, string extraHocon = "")
        : this(new TempDirectory(), output, extraHocon)
    {
    }

    private JournalTestKit(TempDirectory directory, ITestOutputHelper output, string extraHocon)
        : base(PersistenceConfig.For(directory.Combine("journal"), extraHocon), output: output)
    {
        Directory = directory;
        ExtraHocon = extraHocon;
    }

    protected TempDirectory Directory { get; }

    protected string ExtraHocon { get; }

    protected string WriterGuid { get; } = Guid.NewGuid().ToString();

    protected static IActorRef JournalOf(ActorSystem system) => Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);

    protected IActorRef Journal => JournalOf(Sys);

    protected IPersistentRepresentation Event(string persistenceId, long sequenceNr, object payload, string manifest = "", long timestamp = 0) =>
        new Persistent(payload, sequenceNr, persistenceId, manifest, false, ActorRefs.NoSender, WriterGuid, timestamp);

    protected static AtomicWrite Atomic(params IPersistentRepresentation[] events) => new(events.ToImmutableList());

    /// <summary>Writes <paramref name="writes"/> in one call and expects every write to succeed.</summary>
    protected static void WriteAll(IActorRef journal, TestProbe probe, params AtomicWrite[] writes)
    {
        journal.Tell(new WriteMessages(writes, probe.Ref, ActorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        foreach (var write in writes)
        {
            foreach (var _ in (IImmutableList<IPersistentRepresentation>)write.Payload)
            {
                probe.ExpectMsg<WriteMessageSuccess>();
            }
        }
    }

    protected void WriteAll(params AtomicWrite[] writes) => WriteAll(Journal, CreateTestProbe(), writes);

    /// <summary>The journal specification's fixture: a-1 .. a-3 one write each, a-4 and a-5 one atomic write of two.</summary>
    protected void WriteFiveEvents(string persistenceId) =>
        WriteAll(
            Atomic(Event(persistenceId, 1, "a-1")),
            Atomic(Event(persistenceId, 2, "a-2")),
            Atomic(Event(persistenceId, 3, "a-3")),
            Atomic(Event(persistenceId, 4, "a-4"), Event(persistenceId, 5, "a-5")));

    /// <summary>Replays and returns the replayed events and the highest sequence number the journal reported.</summary>
    protected static (List<IPersistentRepresentation> Events, long Highest) Replay(IActorRef journal, TestProbe probe, string persistenceId, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        journal.Tell(new ReplayMessages(from, to, max, persistenceId, probe.Ref));
        var events = new List<IPersistentRepresentation>();
        while (true)
        {
            var message = probe.ReceiveOne(TimeSpan.FromSeconds(30));
            switch (message)
            {
                case ReplayedMessage replayed:
                    events.Add(replayed.Persistent);
                    break;
                case RecoverySuccess success:
                    return (events, success.HighestSequenceNr);
                default:
                    throw new Xunit.Sdk.XunitException($"Unexpected reply to a replay: {message}");
            }
        }
    }

    protected (List<IPersistentRepresentation> Events, long Highest) Replay(string persistenceId, long from = 1, long to = long.MaxValue, long max = long.MaxValue) =>
        Replay(Journal, CreateTestProbe(), persistenceId, from, to, max);

    protected static void Delete(IActorRef journal, TestProbe probe, string persistenceId, long toSequenceNr)
    {
        journal.Tell(new DeleteMessagesTo(persistenceId, toSequenceNr, probe.Ref));
        Assert.Equal(toSequenceNr, probe.ExpectMsg<DeleteMessagesSuccess>().ToSequenceNr);
    }

    /// <summary>Stops the system (releasing the log) and starts another over the same directory.</summary>
    protected async Task<ActorSystem> RestartAsync(ActorSystem system)
    {
        await system.Terminate();
        return ActorSystem.Create("restarted", PersistenceConfig.For(Directory.Combine("journal"), ExtraHocon));
    }

    internal static JournalStore StoreOf(ActorSystem system) => JournalStores.Get(system).For(WalPersistence.JournalPluginId);

    protected override void AfterAll()
    {
        // The whole coordinated shutdown (the index's last checkpoint, the log's last barrier) before the directory
        // goes: the test kit's own shutdown waits only a few seconds for it.
        Sys.Terminate().Wait(TimeSpan.FromMinutes(1));
        base.AfterAll();
        Directory.Dispose();
    }
}
