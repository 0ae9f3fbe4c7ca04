using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using WalActors.Tests.Persistence;
using WalActors.Tests.Support;

namespace WalActors.Tests.Projections;

/// <summary>A hosted projection: started with the system, its lag in a health check, stopped and resumed with the host.</summary>
public sealed class WithWalProjectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Check = "walactors-projection-counts";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_hosted_projection_reports_its_lag_in_a_health_check_and_resumes_after_the_host_restarts()
    {
        var handled = new ConcurrentQueue<string>();
        using (var host = BuildHost(handled))
        {
            await host.StartAsync();
            var actor = host.Services.GetRequiredService<ActorSystem>().ActorOf(RecordingActor.Props("counted"));
            Assert.Equal("a-done", await actor.Ask<string>("a", Patience));
            Assert.Equal("b-done", await actor.Ask<string>("b", Patience));
            var healthy = await WaitForLagAsync(host, 0);
            Assert.Equal(HealthStatus.Healthy, healthy.Status);
            await host.StopAsync();
        }

        using (var host = BuildHost(handled))
        {
            await host.StartAsync();
            var actor = host.Services.GetRequiredService<ActorSystem>().ActorOf(RecordingActor.Props("counted"));
            Assert.Equal("c-done", await actor.Ask<string>("c", Patience));
            await WaitForLagAsync(host, 0);
            await host.StopAsync();
        }

        Assert.Equal(["a", "b", "c"], handled);
    }

    [Fact]
    public async Task A_projection_whose_handler_is_not_registered_fails_the_start_and_a_bad_name_is_refused_at_once()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services
                .AddHealthChecks().Services
                .AddAkka("unregistered", builder => builder
                    .AddHocon("akka.loglevel = OFF", HoconAddMode.Prepend)
                    .WithWalPersistence(options => options with { Directory = _directory.Path })
                    .WithWalProjection<CountingHandler>("counts", ProjectionQuery.ByTag("hosted"))))
            .Build();
        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Throws<ArgumentException>(() => new AkkaConfigurationBuilder(new ServiceCollection(), "x").WithWalProjection<CountingHandler>("", ProjectionQuery.AllEvents));
    }

    private static async Task<HealthReportEntry> WaitForLagAsync(IHost host, long lag)
    {
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var report = await checks.CheckHealthAsync(r => r.Name == Check);
            var entry = report.Entries[Check];
            if (entry.Data.TryGetValue("lag_events", out var found) && (long)found == lag)
            {
                return entry;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the lag never reached {lag}: {entry.Status} {entry.Description}");
            await Task.Delay(10);
        }
    }

    private IHost BuildHost(ConcurrentQueue<string> handled) =>
        new HostBuilder()
            .ConfigureServices(services => services
                .AddSingleton(new CountingHandler(handled))
                .AddHealthChecks().Services
                .AddAkka("hosted", builder => builder
                    .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                    .WithWalPersistence(
                        options => options with { Directory = _directory.Path },
                        journal => journal.AddWriteEventAdapter<TaggingAdapter>("tagger", [typeof(string)]))
                    .WithWalProjection<CountingHandler>("counts", ProjectionQuery.ByTag("hosted"), new WalProjectionOptions { CommitEvery = 1 })))
            .Build();

    private sealed class CountingHandler(ConcurrentQueue<string> handled) : IWalProjectionHandler
    {
        public Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            handled.Enqueue((string)envelope.Event);
            return Task.FromResult<IReadOnlyList<ProjectedEvent>>([]);
        }
    }
}
