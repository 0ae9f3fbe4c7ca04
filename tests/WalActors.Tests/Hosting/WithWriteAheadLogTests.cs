using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Hosting;

public sealed class WithWriteAheadLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_host_starts_the_log_registers_it_and_serves_appends_through_actor_and_client()
    {
        var directory = _directory.Combine("wal");
        using (var host = BuildHost(directory))
        {
            await host.StartAsync();
            var client = host.Services.GetRequiredService<IWalClient>();
            var log = host.Services.GetRequiredService<IRequiredActor<WriteAheadLogActor>>().ActorRef;

            await client.Ready;
            var viaClient = await client.AppendAsync("from the client"u8.ToArray());
            var viaActor = await log.Ask<Appended>(new Append("from an actor"u8.ToArray()), TimeSpan.FromSeconds(10));
            var status = await client.GetStatusAsync();

            Assert.True(viaActor.Lsn > viaClient);
            Assert.Equal(WalState.Ready, status.State);
            Assert.Equal(64 * 1024, SegmentSizeOf(directory));

            await host.StopAsync();
        }

        // Stopping the host released the lock and made everything durable: a second host recovers both records.
        using (var host = BuildHost(directory))
        {
            await host.StartAsync();
            var report = await host.Services.GetRequiredService<IWalClient>().Ready;
            Assert.Equal(2, report.RecordCount);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Actors_get_the_log_from_the_registry_as_the_readme_shows_and_services_through_IRequiredActor()
    {
        var directory = _directory.Combine("wal");
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("readme", builder => builder
                    .WithWriteAheadLog(options => options with { Directory = directory })
                    .WithActors((system, registry) =>
                    {
                        var log = registry.Get<WriteAheadLogActor>();
                        registry.Register<OrderTaker>(system.ActorOf(Props.Create(() => new OrderTaker(log)), "orders"));
                    }));
            })
            .Build();
        await host.StartAsync();

        var orders = host.Services.GetRequiredService<IRequiredActor<OrderTaker>>().ActorRef;
        var appended = await orders.Ask<Appended>("order 42", TimeSpan.FromSeconds(10));
        var log = await host.Services.GetRequiredService<IRequiredActor<WriteAheadLogActor>>().GetAsync();
        var read = await log.Ask<ReadResult>(new Read(appended.Lsn, 1), TimeSpan.FromSeconds(10));

        Assert.Equal("order 42", System.Text.Encoding.UTF8.GetString(read.Records.Single().Payload.Span));
        await host.StopAsync();
    }

    private sealed class OrderTaker : ReceiveActor
    {
        public OrderTaker(IActorRef log) =>
            Receive<string>(order => log.Forward(new Append(System.Text.Encoding.UTF8.GetBytes(order))));
    }

    private static IHost BuildHost(string directory) =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("hosted", builder => builder
                    .AddHocon("walactors.log.segment-size = 64 KiB", HoconAddMode.Prepend)
                    .WithWriteAheadLog(options => options with { Directory = directory }));
                services.AddWalClient();
            })
            .Build();

    private static long SegmentSizeOf(string directory)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        return store.SegmentSize;
    }
}
