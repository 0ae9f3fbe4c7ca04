namespace WalActors.Cluster.Tests.Etcd;

/// <summary>One etcd for a test class (xunit class fixture); each test keeps to keys of its own.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    public EtcdServer Server => _server ?? throw new InvalidOperationException("etcd has not started");

    public async Task InitializeAsync() => _server = await EtcdServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
