using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using WalActors.Hosting;
using WalActors.Persistence;

namespace WalActors;

/// <summary>Akka.Hosting registration of the WalActors journal, its read journal and its snapshot store.</summary>
public static class WalPersistenceHostingExtensions
{
    /// <summary>
    /// Makes a WalActors journal (with a <see cref="WalSnapshotStore"/>, and the read journal at
    /// <see cref="WalReadJournal.Identifier"/>) the system's defaults, for example
    /// <c>builder.WithWalPersistence(options =&gt; options with { Directory = "/var/lib/app/persistence" })</c>.
    /// With <see cref="WalPersistenceOptions.IsDefaultPlugin"/> false and another <see cref="WalPersistenceOptions.Identifier"/>
    /// it adds a further journal, which actors choose with <c>JournalPluginId</c>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <param name="journal">Adds event adapters or a health check to the journal.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static AkkaConfigurationBuilder WithWalPersistence(
        this AkkaConfigurationBuilder builder,
        Func<WalPersistenceOptions, WalPersistenceOptions>? configure = null,
        Action<AkkaPersistenceJournalBuilder>? journal = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = configure?.Invoke(new WalPersistenceOptions()) ?? new WalPersistenceOptions();
        options.Validate();

        builder.WithJournal(new WalJournalHostingOptions(options), journal);
        builder.AddHocon(Settings(options), HoconAddMode.Prepend);
        builder.AddHocon(WalPersistence.DefaultConfig(), HoconAddMode.Append);
        builder.AddHocon(WalConfig.Defaults, HoconAddMode.Append);
        if (options.Log is { } configureLog)
        {
            LogSetup(builder).ConfigureLog[options.JournalPluginId] = configureLog;
        }

        return builder;
    }

    private static Config Settings(WalPersistenceOptions options)
    {
        var hocon = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{options.QueryPluginId} {{")
            .AppendLine(CultureInfo.InvariantCulture, $"  class = {typeof(WalReadJournalProvider).AssemblyQualifiedShortName().ToHocon()}")
            .AppendLine(CultureInfo.InvariantCulture, $"  write-plugin = {options.JournalPluginId.ToHocon()}")
            .AppendLine("}");
        if (options.UseLocalSnapshotStore)
        {
            // Akka's local snapshot store reads this one path, whatever plugin id it is registered under.
            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.persistence.snapshot-store.local.dir = {options.SnapshotsDirectory.ToHocon()}");
        }
        else
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"{options.SnapshotPluginId} {{")
                .AppendLine(CultureInfo.InvariantCulture, $"  class = {typeof(WalSnapshotStore).AssemblyQualifiedShortName().ToHocon()}")
                .AppendLine("  plugin-dispatcher = \"akka.actor.default-dispatcher\"")
                .AppendLine(CultureInfo.InvariantCulture, $"  directory = {options.SnapshotsDirectory.ToHocon()}")
                .AppendLine("}");
        }

        if (options.IsDefaultPlugin)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.persistence.snapshot-store.plugin = {options.SnapshotPluginId.ToHocon()}")
                .AppendLine(CultureInfo.InvariantCulture, $"{WalPersistence.QueryPluginId}.write-plugin = {options.JournalPluginId.ToHocon()}");
        }

        return ConfigurationFactory.ParseString(hocon.ToString());
    }

    // Setups are keyed by type, so every WithWalPersistence call shares one.
    private static WalPersistenceSetup LogSetup(AkkaConfigurationBuilder builder)
    {
        var setup = builder.Setups.OfType<WalPersistenceSetup>().FirstOrDefault();
        if (setup is null)
        {
            setup = new WalPersistenceSetup();
            builder.AddSetup(setup);
        }

        return setup;
    }

    private static string AssemblyQualifiedShortName(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
