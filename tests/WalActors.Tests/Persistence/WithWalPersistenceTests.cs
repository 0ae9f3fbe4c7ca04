using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Persistence;
using WalActors.Tests.Support;

namespace WalActors.Tests.Persistence;

/// <summary>An Akka.Hosting application switched to WalActors persistence with one call persists, restarts and recovers.</summary>
public sealed class WithWalPersistenceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_hosted_app_persists_snapshots_restarts_and_recovers_its_actors_state()
    {
        using (var host = BuildHost())
        {
            await host.StartAsync();
            var actor = Actors(host).ActorOf(RecordingActor.Props("hosted-1"));
            Assert.Equal("a-done", await actor.Ask<string>("a", Patience));
            Assert.Equal("b-done", await actor.Ask<string>("b", Patience));
            Assert.Equal("snapshot-done", await actor.Ask<string>(RecordingActor.TakeSnapshot.Instance, Patience));
            Assert.Equal("c-done", await actor.Ask<string>("c", Patience));
            await host.StopAsync();
        }

        using (var host = BuildHost())
        {
            await host.StartAsync();
            var system = Actors(host);
            var recovered = await system.ActorOf(RecordingActor.Props("hosted-1")).Ask<List<string>>(RecordingActor.GetEvents.Instance, Patience);
            // The write adapter tagged every event; the default read journal serves this journal.
            var tagged = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
                .CurrentEventsByTag("hosted", NoOffset.Instance).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(Patience);

            Assert.Equal(["a", "b", "c"], recovered);
            Assert.Equal(["a", "b", "c"], tagged.Select(e => (string)e.Event));
            // The snapshot is in the WalActors snapshot store's own log, and it is what recovery started from.
            Assert.True(File.Exists(Path.Combine(_directory.Combine("snapshot-log"), "walactors.meta")));
            var snapshot = await Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null)
                .Ask<Akka.Persistence.LoadSnapshotResult>(new Akka.Persistence.LoadSnapshot("hosted-1", Akka.Persistence.SnapshotSelectionCriteria.Latest, long.MaxValue), Patience);
            Assert.Equal(["a", "b"], (string[])snapshot.Snapshot!.Snapshot);
            Assert.True(File.Exists(Path.Combine(_directory.Combine("journal"), "walactors.meta")));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_second_journal_under_its_own_identifier_keeps_its_own_log_and_read_journal()
    {
        var audit = new WalPersistenceOptions { Directory = _directory.Combine("audit"), Identifier = "audit", IsDefaultPlugin = false };
        using var host = BuildHost(builder => builder.WithWalPersistence(_ => audit));
        await host.StartAsync();
        var system = Actors(host);

        Assert.Equal("main-done", await system.ActorOf(RecordingActor.Props("p")).Ask<string>("main", Patience));
        Assert.Equal("audited-done", await system.ActorOf(RecordingActor.Props("q", audit.JournalPluginId)).Ask<string>("audited", Patience));
        var inAudit = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(audit.QueryPluginId)
            .CurrentPersistenceIds().RunWith(Sink.Seq<string>(), system.Materializer()).WaitAsync(Patience);
        var inMain = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
            .CurrentPersistenceIds().RunWith(Sink.Seq<string>(), system.Materializer()).WaitAsync(Patience);

        Assert.Equal(["q"], inAudit);
        Assert.Equal(["p"], inMain);
        Assert.True(File.Exists(Path.Combine(audit.JournalDirectory, "walactors.meta")));
        await host.StopAsync();
    }

    [Fact]
    public async Task Akka_local_snapshot_store_is_kept_when_asked_for()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("local-snapshots", builder => builder
                .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                .WithWalPersistence(options => options with { Directory = _directory.Path, UseLocalSnapshotStore = true })))
            .Build();
        await host.StartAsync();
        var actor = Actors(host).ActorOf(RecordingActor.Props("local-1"));
        Assert.Equal("a-done", await actor.Ask<string>("a", Patience));
        Assert.Equal("snapshot-done", await actor.Ask<string>(RecordingActor.TakeSnapshot.Instance, Patience));

        Assert.NotEmpty(Directory.GetFiles(_directory.Combine("snapshots")));
        Assert.False(Directory.Exists(_directory.Combine("snapshot-log")));
        await host.StopAsync();
    }

    private static ActorSystem Actors(IHost host) => host.Services.GetRequiredService<ActorSystem>();

    private IHost BuildHost(Action<AkkaConfigurationBuilder>? more = null) =>
        new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", builder =>
            {
                builder
                    .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                    .WithWalPersistence(
                        options => options with { Directory = _directory.Path, Log = log => log with { SegmentSize = 1024 * 1024 } },
                        journal => journal.AddWriteEventAdapter<TaggingAdapter>("tagger", [typeof(string)]));
                more?.Invoke(builder);
            }))
            .Build();
}
