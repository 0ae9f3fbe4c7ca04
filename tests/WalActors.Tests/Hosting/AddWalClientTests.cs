using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WalActors.Tests.Hosting;

public sealed class AddWalClientTests
{
    [Fact]
    public async Task A_client_whose_host_never_started_a_log_fails_with_a_typed_error_instead_of_waiting_for_ever()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("no-log", _ => { });
                services.AddWalClient();
            })
            .Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWalClient>();

        var bound = TimeSpan.FromSeconds(10);
        var ready = await Assert.ThrowsAsync<WalNotStartedException>(() => client.Ready.WaitAsync(bound));
        Assert.Contains("WithWriteAheadLog", ready.Message);
        await Assert.ThrowsAsync<WalNotStartedException>(() => client.AppendAsync("x"u8.ToArray()).WaitAsync(bound));
        await Assert.ThrowsAsync<WalNotStartedException>(() => client.ReadAsync(Lsn.Zero, 1).WaitAsync(bound));
        Assert.True(client.TryAppend("y"u8.ToArray(), out var appended));
        await Assert.ThrowsAsync<WalNotStartedException>(() => appended.WaitAsync(bound));

        await host.StopAsync();
    }
}
