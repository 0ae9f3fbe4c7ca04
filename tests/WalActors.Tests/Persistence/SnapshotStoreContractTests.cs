using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>
/// Akka.Persistence's snapshot store contract, spoken in its own protocol messages (as Akka's snapshot store
/// specification does), against <c>walactors.persistence.snapshot-store</c> in a fresh directory.
/// </summary>
public sealed class SnapshotStoreContractTests : TestKit
{
    private const string Pid = "p-1";
    private readonly TempDirectory _directory;
    private readonly List<SnapshotMetadata> _saved = [];

    public SnapshotStoreContractTests(ITestOutputHelper output)
        : this(new TempDirectory(), output)
    {
    }

    private SnapshotStoreContractTests(TempDirectory directory, ITestOutputHelper output)
        : base(Config(directory), output: output)
    {
        _directory = directory;
        for (var sequenceNr = 1; sequenceNr <= 5; sequenceNr++)
        {
            _saved.Add(Save(Sys, new SnapshotMetadata(Pid, sequenceNr * 10, new DateTime(2026, 1, 1, 0, 0, sequenceNr, DateTimeKind.Utc)), $"s-{sequenceNr}"));
        }
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _directory.Dispose();
    }

    [Fact]
    public void Nothing_is_loaded_for_an_unknown_persistence_id()
    {
        var result = Load(Sys, "unknown", SnapshotSelectionCriteria.Latest);
        Assert.Null(result.Snapshot);
        Assert.Equal(long.MaxValue, result.ToSequenceNr);
    }

    [Fact]
    public void Nothing_is_loaded_when_no_snapshot_matches_the_criteria()
    {
        Assert.Null(Load(Sys, Pid, new SnapshotSelectionCriteria(long.MaxValue, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc))).Snapshot);
        Assert.Null(Load(Sys, Pid, new SnapshotSelectionCriteria(9)).Snapshot);
    }

    [Fact]
    public void The_youngest_snapshot_is_loaded_with_its_metadata_exactly()
    {
        var result = Load(Sys, Pid, SnapshotSelectionCriteria.Latest);
        Assert.Equal(_saved[^1], result.Snapshot!.Metadata);
        Assert.Equal(DateTimeKind.Utc, result.Snapshot.Metadata.Timestamp.Kind);
        Assert.Equal("s-5", result.Snapshot.Snapshot);
    }

    [Fact]
    public void The_youngest_snapshot_within_sequence_and_time_bounds_is_loaded()
    {
        Assert.Equal("s-3", Load(Sys, Pid, new SnapshotSelectionCriteria(35)).Snapshot!.Snapshot);
        Assert.Equal("s-2", Load(Sys, Pid, new SnapshotSelectionCriteria(45, _saved[1].Timestamp)).Snapshot!.Snapshot);
        Assert.Equal("s-4", Load(Sys, Pid, new SnapshotSelectionCriteria(45, DateTime.MaxValue, minSequenceNr: 40)).Snapshot!.Snapshot);
        Assert.Null(Load(Sys, Pid, new SnapshotSelectionCriteria(long.MaxValue, DateTime.MaxValue, minSequenceNr: 60)).Snapshot);
    }

    [Fact]
    public void A_single_snapshot_is_deleted_by_its_sequence_number()
    {
        var store = StoreOf(Sys);
        store.Tell(new DeleteSnapshot(new SnapshotMetadata(Pid, _saved[4].SequenceNr, DateTime.MinValue)), TestActor);
        ExpectMsg<DeleteSnapshotSuccess>();

        Assert.Equal("s-4", Load(Sys, Pid, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public void Snapshots_are_deleted_by_criteria_and_those_outside_them_are_kept()
    {
        var store = StoreOf(Sys);
        store.Tell(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(30, _saved[2].Timestamp)), TestActor);
        ExpectMsg<DeleteSnapshotsSuccess>();
        store.Tell(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(50, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc))), TestActor);
        ExpectMsg<DeleteSnapshotsSuccess>();

        Assert.Null(Load(Sys, Pid, new SnapshotSelectionCriteria(30)).Snapshot);
        Assert.Equal("s-5", Load(Sys, Pid, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
        Assert.Equal("s-4", Load(Sys, Pid, new SnapshotSelectionCriteria(45)).Snapshot!.Snapshot);
    }

    [Fact]
    public void A_save_at_a_sequence_number_that_has_a_snapshot_overwrites_it()
    {
        var again = Save(Sys, new SnapshotMetadata(Pid, 50, new DateTime(2026, 2, 2, 0, 0, 0, DateTimeKind.Local)), "s-5 again");

        var result = Load(Sys, Pid, SnapshotSelectionCriteria.Latest).Snapshot!;
        Assert.Equal("s-5 again", result.Snapshot);
        Assert.Equal(again.Timestamp, result.Metadata.Timestamp);
        Assert.Equal(DateTimeKind.Local, result.Metadata.Timestamp.Kind);
    }

    [Fact]
    public void A_snapshot_larger_than_a_record_is_saved_whole_and_loaded_back_byte_for_byte()
    {
        var large = new byte[5 * 1024 * 1024 + 17];
        new Random(7).NextBytes(large);

        Save(Sys, new SnapshotMetadata("large", 1, DateTime.UtcNow), large);

        Assert.Equal(large, (byte[])Load(Sys, "large", SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public void A_snapshot_over_the_batch_limit_fails_its_save_naming_the_setting_and_leaves_the_others()
    {
        var store = StoreOf(Sys);
        store.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, 60, DateTime.UtcNow), new byte[70 * 1024 * 1024]), TestActor);

        var failure = ExpectMsg<SaveSnapshotFailure>(TimeSpan.FromSeconds(60));
        Assert.Contains("max-batch-size", failure.Cause.ToString(), StringComparison.Ordinal);
        Assert.Equal("s-5", Load(Sys, Pid, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public void A_snapshot_with_an_actor_reference_is_serialized_with_transport_information()
    {
        var probe = CreateTestProbe();
        Save(Sys, new SnapshotMetadata("refs", 1, DateTime.UtcNow), new TestPayload(probe.Ref));

        Assert.Equal(probe.Ref, ((TestPayload)Load(Sys, "refs", SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot).Ref);
    }

    [Fact]
    public async Task Snapshots_and_deletes_survive_a_restart_of_the_system()
    {
        var store = StoreOf(Sys);
        store.Tell(new DeleteSnapshot(_saved[4]), TestActor);
        ExpectMsg<DeleteSnapshotSuccess>();
        store.Tell(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(20)), TestActor);
        ExpectMsg<DeleteSnapshotsSuccess>();
        await Sys.Terminate();

        var restarted = ActorSystem.Create("restarted", Config(_directory));
        try
        {
            Assert.Equal(_saved[3], Load(restarted, Pid, SnapshotSelectionCriteria.Latest).Snapshot!.Metadata);
            Assert.Null(Load(restarted, Pid, new SnapshotSelectionCriteria(20)).Snapshot);
            Assert.Equal("s-3", Load(restarted, Pid, new SnapshotSelectionCriteria(39)).Snapshot!.Snapshot);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task A_save_torn_by_a_crash_is_absent_after_restart_and_the_earlier_snapshots_remain()
    {
        Save(Sys, new SnapshotMetadata(Pid, 60, DateTime.UtcNow), new byte[3 * 1024 * 1024]);
        await Sys.Terminate();

        // A crash that kept the save's first records but not its last: zero everything from its last frame on.
        var directory = _directory.Combine("snapshots");
        long lastFrame;
        using (var store = WalActors.Storage.SegmentedStore.OpenReadOnly(directory))
        using (var scanner = new WalActors.Format.RecordScanner(store, store.Head, store.Length, 1024 * 1024))
        {
            lastFrame = -1;
            while (scanner.Next(out var record) == WalActors.Format.ScanStatus.Record)
            {
                if (record.Kind != WalActors.Format.FrameKind.Marker)
                {
                    lastFrame = record.Lsn;
                }
            }
        }

        using (var file = File.OpenWrite(Path.Combine(directory, WalActors.Storage.SegmentFileNames.For(0))))
        {
            file.Position = lastFrame;
            file.Write(new byte[1024 * 1024 + 64]);
        }

        TestLog.ForgetCleanClose(directory);
        var restarted = ActorSystem.Create("restarted", Config(_directory));
        try
        {
            Assert.Equal("s-5", Load(restarted, Pid, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    private static Akka.Configuration.Config Config(TempDirectory directory) => PersistenceConfig.For(directory.Combine("journal"), $$"""
        akka.persistence.snapshot-store.plugin = "walactors.persistence.snapshot-store"
        walactors.persistence.snapshot-store.directory = "{{directory.Combine("snapshots").Replace("\\", "\\\\")}}"
        akka.actor.serialization-bindings { "System.Byte[], System.Private.CoreLib" = bytes }
        """);

    private static IActorRef StoreOf(ActorSystem system) => Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);

    private SnapshotMetadata Save(ActorSystem system, SnapshotMetadata metadata, object snapshot)
    {
        var probe = CreateTestProbe(system);
        StoreOf(system).Tell(new SaveSnapshot(metadata, snapshot), probe.Ref);
        return probe.ExpectMsg<SaveSnapshotSuccess>(TimeSpan.FromSeconds(30)).Metadata;
    }

    private LoadSnapshotResult Load(ActorSystem system, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        var probe = CreateTestProbe(system);
        StoreOf(system).Tell(new LoadSnapshot(persistenceId, criteria, long.MaxValue), probe.Ref);
        return probe.ExpectMsg<LoadSnapshotResult>(TimeSpan.FromSeconds(30));
    }
}
