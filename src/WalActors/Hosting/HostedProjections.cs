using System.Collections.Concurrent;
using Akka.Actor;

namespace WalActors.Hosting;

/// <summary>The projections an actor system started through <c>WithWalProjection</c>, by name: what their health checks look at.</summary>
internal sealed class HostedProjections : IExtension
{
    private static readonly HostedProjectionsId Id = new();
    private readonly ConcurrentDictionary<string, WalProjectionHandle> _projections = new(StringComparer.Ordinal);

    public static HostedProjections For(ActorSystem system) => (HostedProjections)((ExtendedActorSystem)system).RegisterExtension(Id);

    /// <exception cref="InvalidOperationException">A projection of that name already runs in this system: two would commit over each other.</exception>
    public void Register(WalProjectionHandle projection)
    {
        if (!_projections.TryAdd(projection.Name, projection))
        {
            throw new InvalidOperationException($"A projection named '{projection.Name}' already runs in this actor system.");
        }
    }

    public WalProjectionHandle? Find(string name) => _projections.GetValueOrDefault(name);

    private sealed class HostedProjectionsId : ExtensionIdProvider<HostedProjections>
    {
        public override HostedProjections CreateExtension(ExtendedActorSystem system) => new();
    }
}
