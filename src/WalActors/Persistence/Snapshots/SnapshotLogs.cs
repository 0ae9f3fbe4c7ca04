using System.Collections.Concurrent;
using Akka.Actor;

namespace WalActors.Persistence.Snapshots;

/// <summary>The snapshot logs of one actor system, one per snapshot store plugin id; a restarted store actor finds its log still there.</summary>
internal sealed class SnapshotLogs : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, Lazy<SnapshotLog>> _logs = new(StringComparer.Ordinal);

    public SnapshotLogs(ExtendedActorSystem system) => _system = system;

    public static SnapshotLogs Get(ActorSystem system) => system.WithExtension<SnapshotLogs, SnapshotLogsProvider>();

    /// <summary>The log of the snapshot store configured at <paramref name="pluginId"/>, started on first use.</summary>
    /// <exception cref="ArgumentException">There is no such configuration, or a setting is out of range (the message names it).</exception>
    public SnapshotLog For(string pluginId) => _logs.GetOrAdd(pluginId, id => new Lazy<SnapshotLog>(() => Open(id))).Value;

    private SnapshotLog Open(string pluginId)
    {
        var (section, options) = PluginLogSettings.Read(_system, pluginId, WalPersistence.SnapshotStorePluginId, "snapshot store");
        return new SnapshotLog(_system, pluginId, options, Compaction.CompactionSettings.From(section, pluginId));
    }
}
