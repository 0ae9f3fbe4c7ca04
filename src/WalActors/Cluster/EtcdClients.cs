using System.Collections.Concurrent;
using Akka.Actor;
using dotnet_etcd;

namespace WalActors.Cluster;

/// <summary>
/// The etcd clients of one actor system, one per endpoint list. Cluster.Sharding creates a lease per shard; sharing the
/// client gives them one gRPC channel (one HTTP/2 connection per endpoint) instead of hundreds. The clients are disposed
/// when the actor system terminates.
/// </summary>
internal sealed class EtcdClients : IExtension
{
    private readonly ConcurrentDictionary<string, Lazy<EtcdClient>> _clients = new(StringComparer.Ordinal);

    public EtcdClients(ActorSystem system) => system.RegisterOnTermination(Dispose);

    public static EtcdClients Get(ActorSystem system) => system.WithExtension<EtcdClients, EtcdClientsProvider>();

    /// <summary>The client for <paramref name="endpoints"/> (comma-separated URLs), created on first use.</summary>
    public EtcdClient For(string endpoints) =>
        _clients.GetOrAdd(endpoints, e => new Lazy<EtcdClient>(() => new EtcdClient(e))).Value;

    private void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }
}

/// <summary>Creates <see cref="EtcdClients"/> for Akka's extension registry.</summary>
internal sealed class EtcdClientsProvider : ExtensionIdProvider<EtcdClients>
{
    public override EtcdClients CreateExtension(ExtendedActorSystem system) => new(system);
}
