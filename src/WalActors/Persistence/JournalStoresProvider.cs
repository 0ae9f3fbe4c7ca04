using Akka.Actor;

namespace WalActors.Persistence;

/// <summary>Creates the <see cref="JournalStores"/> extension of an actor system.</summary>
internal sealed class JournalStoresProvider : ExtensionIdProvider<JournalStores>
{
    public override JournalStores CreateExtension(ExtendedActorSystem system) => new(system);
}
