using Akka.Actor.Setup;

namespace WalActors.Persistence;

/// <summary>Adjustments to journals' log settings made in code (by <c>WithWalPersistence</c>), keyed by journal plugin id.</summary>
internal sealed class WalPersistenceSetup : Setup
{
    public Dictionary<string, Func<WalOptions, WalOptions>> ConfigureLog { get; } = new(StringComparer.Ordinal);
}
