using Akka.Actor;
using Akka.Configuration;

namespace WalActors.Persistence;

/// <summary>
/// The settings of the log a persistence plugin keeps of its own: its HOCON section over the plugin's defaults, any
/// settings made in code (<see cref="WalPersistenceSetup"/>), and retention always off, since deletes are records and
/// old records are found again by position.
/// </summary>
internal static class PluginLogSettings
{
    /// <summary>The plugin's section and its log's options.</summary>
    /// <param name="system">The actor system the plugin runs in.</param>
    /// <param name="pluginId">Where the plugin is configured.</param>
    /// <param name="defaultsPath">Where its defaults are in <c>persistence.conf</c>.</param>
    /// <param name="kind">What the plugin is, for the error when it is not configured ("journal", "snapshot store").</param>
    /// <exception cref="ArgumentException">There is no such configuration, or a setting is out of range (the message names it).</exception>
    public static (Config Section, WalOptions Options) Read(ExtendedActorSystem system, string pluginId, string defaultsPath, string kind)
    {
        var config = system.Settings.Config;
        if (!config.HasPath(pluginId))
        {
            throw new ArgumentException($"No {kind} is configured at '{pluginId}'.", nameof(pluginId));
        }

        var section = config.GetConfig(pluginId).WithFallback(WalPersistence.DefaultConfig().GetConfig(defaultsPath));
        var options = WalOptions.FromConfig(section);
        var setup = system.Settings.Setup.Get<WalPersistenceSetup>();
        if (setup.HasValue && setup.Value.ConfigureLog.TryGetValue(pluginId, out var configure))
        {
            options = configure(options);
        }

        options = options with { RetentionMaxBytes = 0, RetentionMaxAge = TimeSpan.Zero };
        options.Validate();
        return (section, options);
    }
}
