using System.Collections.Concurrent;
using Akka.Actor;

namespace WalActors.Persistence;

/// <summary>
/// The journal stores of one actor system, one per journal plugin id. The journal actor and the read journals of a
/// plugin id share its store; a restarted journal actor finds its log and index still there.
/// </summary>
internal sealed class JournalStores : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, Lazy<JournalStore>> _stores = new(StringComparer.Ordinal);

    public JournalStores(ExtendedActorSystem system) => _system = system;

    public static JournalStores Get(ActorSystem system) => system.WithExtension<JournalStores, JournalStoresProvider>();

    /// <summary>The store of the journal configured at <paramref name="pluginId"/>, started on first use.</summary>
    /// <exception cref="ArgumentException">There is no such configuration, or a setting is out of range (the message names it).</exception>
    public JournalStore For(string pluginId) => _stores.GetOrAdd(pluginId, id => new Lazy<JournalStore>(() => Open(id))).Value;

    private JournalStore Open(string pluginId)
    {
        var (section, options) = PluginLogSettings.Read(_system, pluginId, WalPersistence.JournalPluginId, "journal");
        var replays = section.GetInt("max-concurrent-replays", 0);
        if (replays is < 1 or > 100_000)
        {
            throw new ArgumentException($"{pluginId}.max-concurrent-replays must be between 1 and 100000; got {replays}.");
        }

        return new JournalStore(_system, pluginId, options, replays, Compaction.CompactionSettings.From(section, pluginId), Index.IndexSettings.From(section, pluginId));
    }
}
