using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using WalActors.Persistence;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>Compaction of the snapshot store's log: deleted snapshots and snapshots saved over go, the rest load as before.</summary>
public sealed class SnapshotCompactionTests : TestKit
{
    private const int Snapshots = 30;
    private readonly TempDirectory _directory;

    public SnapshotCompactionTests(ITestOutputHelper output)
        : this(new TempDirectory(), output)
    {
    }

    private SnapshotCompactionTests(TempDirectory directory, ITestOutputHelper output)
        : base(Config(directory), output: output)
    {
        _directory = directory;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _directory.Dispose();
    }

    [Fact]
    public async Task Deleted_and_replaced_snapshots_are_dropped_and_the_others_load_as_before_and_after_a_restart()
    {
        for (var i = 1; i <= Snapshots; i++)
        {
            Save(Sys, "p", i, Bytes(i, 0));
        }

        Save(Sys, "q", 1, Bytes(100, 0));
        Save(Sys, "q", 1, Bytes(100, 1));                           // saved over: the first one is dead
        Delete(Sys, new DeleteSnapshots("p", new SnapshotSelectionCriteria(20)));
        Delete(Sys, new DeleteSnapshot(new SnapshotMetadata("p", 25, DateTime.MinValue)));

        var compacted = Compact(Sys);

        Assert.True(compacted.RecordsDropped > 0 && compacted.BytesAfter < compacted.BytesBefore * 0.7, $"{compacted}");
        AssertLoads(Sys);
        await Sys.Terminate();
        var restarted = ActorSystem.Create("restarted", Config(_directory));
        try
        {
            AssertLoads(restarted);
            Assert.Equal(0, Compact(restarted).RecordsDropped);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    private void AssertLoads(ActorSystem system)
    {
        Assert.Equal(Bytes(Snapshots, 0), Load(system, "p", SnapshotSelectionCriteria.Latest));
        Assert.Equal(Bytes(24, 0), Load(system, "p", new SnapshotSelectionCriteria(25)));
        Assert.Null(Load(system, "p", new SnapshotSelectionCriteria(20)));
        Assert.Equal(Bytes(100, 1), Load(system, "q", SnapshotSelectionCriteria.Latest));
    }

    private static byte[] Bytes(int i, int version) => TestLog.Payload(i * 10 + version, 150_000);

    private static Akka.Configuration.Config Config(TempDirectory directory) => PersistenceConfig.For(directory.Combine("journal"), $$"""
        akka.persistence.snapshot-store.plugin = "walactors.persistence.snapshot-store"
        walactors.persistence.snapshot-store {
          directory = "{{directory.Combine("snapshots").Replace("\\", "\\\\")}}"
          segment-size = 1 MiB
          compaction.enabled = off
        }
        akka.actor.serialization-bindings { "System.Byte[], System.Private.CoreLib" = bytes }
        """);

    private static IActorRef StoreOf(ActorSystem system) => Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);

    private void Save(ActorSystem system, string persistenceId, long sequenceNr, byte[] snapshot)
    {
        var probe = CreateTestProbe(system);
        StoreOf(system).Tell(new SaveSnapshot(new SnapshotMetadata(persistenceId, sequenceNr, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(sequenceNr)), snapshot), probe.Ref);
        probe.ExpectMsg<SaveSnapshotSuccess>(TimeSpan.FromSeconds(30));
    }

    private void Delete(ActorSystem system, object delete)
    {
        var probe = CreateTestProbe(system);
        StoreOf(system).Tell(delete, probe.Ref);
        probe.ExpectMsg<object>(m => m is DeleteSnapshotsSuccess or DeleteSnapshotSuccess, TimeSpan.FromSeconds(30));
    }

    private byte[]? Load(ActorSystem system, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        var probe = CreateTestProbe(system);
        StoreOf(system).Tell(new LoadSnapshot(persistenceId, criteria, long.MaxValue), probe.Ref);
        return (byte[]?)probe.ExpectMsg<LoadSnapshotResult>(TimeSpan.FromSeconds(30)).Snapshot?.Snapshot;
    }

    private LogCompacted Compact(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        StoreOf(system).Tell(CompactLog.Instance, probe.Ref);
        return probe.ExpectMsg<LogCompacted>(TimeSpan.FromSeconds(60));
    }
}
