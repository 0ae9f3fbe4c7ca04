using Akka.Actor;

namespace WalActors.Actors.Internal;

/// <summary>What WalActors runs once per actor system: the <see cref="DeadLetterAnswerer"/>.</summary>
internal sealed class WalSystemExtension : IExtension
{
    public WalSystemExtension(ExtendedActorSystem system) =>
        system.SystemActorOf(DeadLetterAnswerer.Props, "walactors-dead-letters");

    private static readonly WalSystemExtensionId Id = new();

    /// <summary>The system's extension, started on first use.</summary>
    public static WalSystemExtension Get(ActorSystem system) => (WalSystemExtension)((ExtendedActorSystem)system).RegisterExtension(Id);
}

/// <summary>The id Akka registers <see cref="WalSystemExtension"/> under.</summary>
internal sealed class WalSystemExtensionId : ExtensionIdProvider<WalSystemExtension>
{
    public override WalSystemExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
