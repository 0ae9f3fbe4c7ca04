using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Tests.Support;

namespace WalActors.Tests.Hosting;

public sealed class SeveralLogsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Two_named_logs_in_one_host_each_get_their_own_keyed_client_and_keep_their_records_apart()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("two-logs", builder => builder
                    .WithWriteAheadLog("orders", options => options with { Directory = _directory.Combine("orders") })
                    .WithWriteAheadLog<AuditLog>("audit", options => options with { Directory = _directory.Combine("audit") }));
                services.AddWalClient("orders").AddWalClient("audit");
                services.AddSingleton<NeedsBothLogs>();
            })
            .Build();
        await host.StartAsync();
        var both = host.Services.GetRequiredService<NeedsBothLogs>();

        await both.Orders.AppendAsync("order 1"u8.ToArray());
        await both.Orders.AppendAsync("order 2"u8.ToArray());
        await both.Audit.AppendAsync("audit 1"u8.ToArray());

        Assert.NotSame(both.Orders, both.Audit);
        Assert.Equal(["order 1", "order 2"], await PayloadsAsync(both.Orders));
        Assert.Equal(["audit 1"], await PayloadsAsync(both.Audit));

        // The typed overload also puts the log in the ActorRegistry; the actor is the same log the keyed client uses.
        var audit = host.Services.GetRequiredService<IRequiredActor<AuditLog>>().ActorRef;
        Assert.Equal("/user/audit", audit.Path.ToStringWithoutAddress());
        Assert.Equal(1, (await audit.Ask<WalStatus>(GetStatus.Instance, TimeSpan.FromSeconds(10))).Counters.Appends);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_keyed_client_for_a_name_no_log_was_started_under_fails_with_a_typed_error_naming_it()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("one-log", builder => builder.WithWriteAheadLog("orders", options => options with { Directory = _directory.Combine("orders") }));
                services.AddWalClient("orders").AddWalClient("invoices");
            })
            .Build();
        await host.StartAsync();

        var missing = host.Services.GetRequiredKeyedService<IWalClient>("invoices");
        var error = await Assert.ThrowsAsync<WalNotStartedException>(() => missing.Ready.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("'invoices'", error.Message);
        await host.Services.GetRequiredKeyedService<IWalClient>("orders").Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await host.StopAsync();
    }

    [Fact]
    public void Configuring_two_logs_under_one_name_fails_where_it_is_written()
    {
        var services = new ServiceCollection();
        services.AddAkka("twice", builder =>
        {
            builder.WithWriteAheadLog("orders");
            var error = Assert.Throws<ArgumentException>(() => builder.WithWriteAheadLog("orders"));
            Assert.Contains("'orders'", error.Message);
            Assert.Throws<ArgumentException>(() => builder.WithWriteAheadLog("not/a name"));
        });
    }

    [Fact]
    public void Registering_the_same_client_again_keeps_one_registration_per_name()
    {
        var services = new ServiceCollection();
        services.AddWalClient().AddWalClient().AddWalClient("orders").AddWalClient("orders").AddWalClient("audit");

        Assert.Single(services, d => d.ServiceType == typeof(IWalClient) && !d.IsKeyedService);
        Assert.Equal(["audit", "orders"], services.Where(d => d.ServiceType == typeof(IWalClient) && d.IsKeyedService)
            .Select(d => (string)d.ServiceKey!).Order());
    }

    private static async Task<List<string>> PayloadsAsync(IWalClient client) =>
        (await client.ReadAsync(Lsn.Zero, 100)).Records.Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)).ToList();

    private sealed class AuditLog;

    private sealed class NeedsBothLogs([FromKeyedServices("orders")] IWalClient orders, [FromKeyedServices("audit")] IWalClient audit)
    {
        public IWalClient Orders { get; } = orders;

        public IWalClient Audit { get; } = audit;
    }
}
