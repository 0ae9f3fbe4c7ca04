using Akka.Actor;

namespace WalActors.Projections;

/// <summary>
/// The projection consumers running in one actor system: a second instance that would commit under a consumer a running
/// one owns (the same name, or an overlapping partition) is refused, since both would handle that consumer's events.
/// Instances in other processes cannot be seen from here.
/// </summary>
internal sealed class RunningConsumers : IExtension
{
    private static readonly RunningConsumersId Id = new();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);

    public static RunningConsumers For(ActorSystem system) => (RunningConsumers)((ExtendedActorSystem)system).RegisterExtension(Id);

    /// <summary>Claims every one of <paramref name="consumers"/>, or none.</summary>
    /// <exception cref="InvalidOperationException">A running instance owns one of them; its name is given.</exception>
    public void Claim(IReadOnlyCollection<string> consumers)
    {
        lock (_gate)
        {
            if (consumers.FirstOrDefault(_running.Contains) is { } taken)
            {
                throw new InvalidOperationException(
                    $"A running projection instance already commits under '{taken}': stop it before starting another that owns it.");
            }

            _running.UnionWith(consumers);
        }
    }

    public void Release(IReadOnlyCollection<string> consumers)
    {
        lock (_gate)
        {
            _running.ExceptWith(consumers);
        }
    }

    private sealed class RunningConsumersId : ExtensionIdProvider<RunningConsumers>
    {
        public override RunningConsumers CreateExtension(ExtendedActorSystem system) => new();
    }
}
