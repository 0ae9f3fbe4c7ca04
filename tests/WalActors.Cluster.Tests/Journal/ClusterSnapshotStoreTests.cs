using Akka.Actor;
using Akka.Persistence;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Replication;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// The cluster snapshot store (<c>walactors.cluster.snapshot-store</c>): snapshots in their shard's ledger, so that an
/// entity that snapshots and deletes its events keeps its state when its shard moves; Akka's snapshot-store contract
/// (youngest by criteria, deletes, replacing a save) on one node; typed errors for a shard not held and a snapshot too large.
/// </summary>
public sealed class ClusterSnapshotStoreTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task An_entity_that_snapshotted_and_deleted_its_events_recovers_its_whole_state_on_the_node_its_shard_moves_to()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 3, replicas: 3, writeQuorum: 2);
        string answer = "";
        for (var i = 0; i < 5; i++)
        {
            answer = await cluster.AskAsync(0, $"s1:add:v{i}");
            Assert.StartsWith($"added:v{i}@", answer);
        }

        Assert.Equal("snapshotted:5", await cluster.AskAsync(0, "s1:snapshot"));
        Assert.Equal("deleted:5", await cluster.AskAsync(0, "s1:delete:5"));
        Assert.StartsWith("added:v5@", await cluster.AskAsync(0, "s1:add:v5"));

        // The events before 6 are gone from the ledger: only the snapshot in it can give them back on another node.
        var owner = cluster.NodeOf(answer);
        await cluster.KillAsync(owner);
        var survivor = cluster.Running.First();
        var history = await cluster.AskUntilAnsweredAsync(survivor, "s1:read");
        Assert.StartsWith("history:v0,v1,v2,v3,v4,v5@", history);
        Assert.NotEqual(owner, cluster.NodeOf(history));
    }

    [Fact]
    public async Task A_snapshot_of_many_ledger_entries_loads_whole_and_the_youngest_matching_one_wins_until_deleted()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 1, replicas: 1, writeQuorum: 1);
        Assert.StartsWith("added:v0@", await cluster.AskAsync(0, "s2:add:v0")); // the shard's lease is held from here on
        var store = Akka.Persistence.Persistence.Instance.Apply(cluster.System(0)).SnapshotStoreFor(null);
        var id = CounterEntity.PersistenceIdOf("s2");
        var large = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"{i:D9},"));
        var (early, late) = (new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));

        await Save(store, new SnapshotMetadata(id, 3, early), "small at 3");
        await Save(store, new SnapshotMetadata(id, 7, late), large); // 300,000 bytes: seven ledger entries
        Assert.Equal(large, (await Load(store, id, SnapshotSelectionCriteria.Latest))?.Snapshot);
        Assert.Equal(late, (await Load(store, id, SnapshotSelectionCriteria.Latest))?.Metadata.Timestamp);
        Assert.Equal("small at 3", (await Load(store, id, new SnapshotSelectionCriteria(6)))?.Snapshot);

        await Save(store, new SnapshotMetadata(id, 3, early), "replaced at 3");
        Assert.Equal("replaced at 3", (await Load(store, id, new SnapshotSelectionCriteria(6)))?.Snapshot);

        Assert.IsType<DeleteSnapshotSuccess>(await store.Ask<object>(new DeleteSnapshot(new SnapshotMetadata(id, 7, late)), JournalCluster.Patience));
        Assert.Equal("replaced at 3", (await Load(store, id, SnapshotSelectionCriteria.Latest))?.Snapshot);
        Assert.IsType<DeleteSnapshotsSuccess>(await store.Ask<object>(new DeleteSnapshots(id, SnapshotSelectionCriteria.Latest), JournalCluster.Patience));
        Assert.Null(await Load(store, id, SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public async Task A_snapshot_over_the_limit_fails_typed_and_writes_nothing_and_a_shard_not_held_is_ShardNotHeldException()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 1, replicas: 1, writeQuorum: 1);
        Assert.StartsWith("added:v0@", await cluster.AskAsync(0, "s3:add:v0"));
        var store = Akka.Persistence.Persistence.Instance.Apply(cluster.System(0)).SnapshotStoreFor(null);
        var id = CounterEntity.PersistenceIdOf("s3");

        var tooLarge = new string('x', JournalCluster.MaxSnapshotSize + 1);
        var failed = Assert.IsType<SaveSnapshotFailure>(await store.Ask<object>(new SaveSnapshot(new SnapshotMetadata(id, 1, DateTime.UtcNow), tooLarge), JournalCluster.Patience));
        Assert.IsType<RecordTooLargeException>(failed.Cause);
        Assert.Null(await Load(store, id, SnapshotSelectionCriteria.Latest));
        // Akka's store base deletes what a failed save may have left: a delete entry, but no save and no chunk.
        Assert.DoesNotContain(await FirstBytesOfRecords(cluster, JournalCluster.LedgerOf("s3")), b => b is LedgerSnapshotCodec.Save or LedgerSnapshotCodec.Chunk);

        // No entity of this shard ever started here, so this node holds no lease for it.
        var unheld = Enumerable.Range(0, 100).Select(i => $"u{i}").First(e => JournalCluster.LedgerOf(e) != JournalCluster.LedgerOf("s3"));
        var refused = Assert.IsType<LoadSnapshotFailed>(await store.Ask<object>(new LoadSnapshot(CounterEntity.PersistenceIdOf(unheld), SnapshotSelectionCriteria.Latest, long.MaxValue), JournalCluster.Patience));
        Assert.IsType<ShardNotHeldException>(refused.Cause);
    }

    private static async Task Save(IActorRef store, SnapshotMetadata metadata, string snapshot) =>
        Assert.IsType<SaveSnapshotSuccess>(await store.Ask<object>(new SaveSnapshot(metadata, snapshot), JournalCluster.Patience));

    private static async Task<SelectedSnapshot?> Load(IActorRef store, string persistenceId, SnapshotSelectionCriteria criteria) =>
        Assert.IsType<LoadSnapshotResult>(await store.Ask<object>(new LoadSnapshot(persistenceId, criteria, long.MaxValue), JournalCluster.Patience)).Snapshot;

    private static async Task<IReadOnlyList<byte>> FirstBytesOfRecords(JournalCluster cluster, string ledger)
    {
        var replica = (await LedgerReplicas.Get(cluster.System(0)).Host.Ask<ReplicaReady>(new EnsureReplica(ledger), JournalCluster.Patience)).Replica;
        var read = await replica.Ask<RangeRead>(new ReadRange(ledger, 0, 1000), JournalCluster.Patience);
        return [.. read.Entries.SelectMany(e => LedgerEntryCodec.Decode(e.Payload)).Select(r => r.Span[0])];
    }
}
