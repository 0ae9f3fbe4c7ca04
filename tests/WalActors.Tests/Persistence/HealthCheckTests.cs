using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using WalActors.Persistence;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

/// <summary>The journal and the snapshot store report their log's health the way Akka.Persistence's health checks ask.</summary>
public sealed class HealthCheckTests : TestKit
{
    private readonly TempDirectory _directory;

    public HealthCheckTests(ITestOutputHelper output)
        : this(new TempDirectory(), output)
    {
    }

    private HealthCheckTests(TempDirectory directory, ITestOutputHelper output)
        : base(PersistenceConfig.For(directory.Combine("journal"), $$"""
            akka.persistence.snapshot-store.plugin = "walactors.persistence.snapshot-store"
            walactors.persistence.snapshot-store.directory = "{{directory.Combine("snapshots").Replace("\\", "\\\\")}}"
            """), output: output)
    {
        _directory = directory;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_ready_journal_and_snapshot_store_are_healthy_and_say_where_their_logs_stand()
    {
        var persistence = Akka.Persistence.Persistence.Instance.Apply(Sys);
        await JournalStores.Get(Sys).For(WalPersistence.JournalPluginId).Ready;
        await WalActors.Persistence.Snapshots.SnapshotLogs.Get(Sys).For(WalPersistence.SnapshotStorePluginId).Ready;

        var journal = await persistence.CheckJournalHealthAsync(WalPersistence.JournalPluginId, CancellationToken.None);
        var snapshots = await persistence.CheckSnapshotStoreHealthAsync(WalPersistence.SnapshotStorePluginId, CancellationToken.None);

        Assert.Equal(PersistenceHealthStatus.Healthy, journal.Status);
        Assert.Equal("Ready", journal.Data!["state"]);
        Assert.True((long)journal.Data["free_disk_bytes"] > 0);
        Assert.Equal(0L, journal.Data["compaction_backlog_bytes"]);
        Assert.Equal(PersistenceHealthStatus.Healthy, snapshots.Status);
        Assert.Equal(0L, snapshots.Data!["compaction_backlog_bytes"]);
    }

    [Fact]
    public async Task A_journal_whose_log_has_stopped_is_unhealthy_and_says_why()
    {
        var persistence = Akka.Persistence.Persistence.Instance.Apply(Sys);
        var store = JournalStores.Get(Sys).For(WalPersistence.JournalPluginId);
        await store.Ready;
        var log = store.Log;
        Watch(log);
        Sys.Stop(log);
        ExpectTerminated(log);

        var journal = await persistence.CheckJournalHealthAsync(WalPersistence.JournalPluginId, CancellationToken.None);

        Assert.Equal(PersistenceHealthStatus.Unhealthy, journal.Status);
        Assert.False(string.IsNullOrEmpty(journal.Description));
    }
}
