using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WalActors.Hosting;
using WalActors.Logging;

namespace WalActors;

/// <summary>Akka.Hosting and dependency-injection registration of write-ahead logs, their clients and the logger.</summary>
public static class WalHostingExtensions
{
    // The names each builder has started logs under, so that configuring one twice fails where it is written.
    private static readonly ConditionalWeakTable<AkkaConfigurationBuilder, HashSet<string>> Names = [];

    /// <summary>
    /// Starts the application's write-ahead log (named <see cref="WriteAheadLog.DefaultName"/>) with the actor system and
    /// registers its actor in the ActorRegistry under <see cref="WriteAheadLogActor"/>: inject
    /// <c>IRequiredActor&lt;WriteAheadLogActor&gt;</c> or call <c>ActorRegistry.For(system).Get&lt;WriteAheadLogActor&gt;()</c>,
    /// or add <see cref="AddWalClient(IServiceCollection)"/> for an <see cref="IWalClient"/>. Settings start from HOCON
    /// <c>walactors.log</c> (reference defaults plus your overrides) and then pass through <paramref name="configure"/>,
    /// for example <c>options =&gt; options with { Directory = "/var/lib/app/wal" }</c>.
    /// </summary>
    /// <exception cref="ArgumentException">This builder already starts a log of that name.</exception>
    public static AkkaConfigurationBuilder WithWriteAheadLog(this AkkaConfigurationBuilder builder, Func<WalOptions, WalOptions>? configure = null) =>
        builder.WithWriteAheadLog<WriteAheadLogActor>(WriteAheadLog.DefaultName, configure);

    /// <summary>
    /// Starts a further write-ahead log named <paramref name="name"/> (its actor's name, <c>/user/NAME</c>), for applications
    /// with several logs; its client is <c>[FromKeyedServices("NAME")] IWalClient</c> after <see cref="AddWalClient(IServiceCollection, string)"/>.
    /// Give each log its own <see cref="WalOptions.Directory"/>: a directory is locked by the log that opened it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid actor name, or this builder already starts a log of that name.</exception>
    public static AkkaConfigurationBuilder WithWriteAheadLog(this AkkaConfigurationBuilder builder, string name, Func<WalOptions, WalOptions>? configure = null) =>
        builder.AddLog(name, configure, null);

    /// <summary>
    /// Starts a write-ahead log named <paramref name="name"/> as <see cref="WithWriteAheadLog(AkkaConfigurationBuilder, string, Func{WalOptions, WalOptions}?)"/>
    /// does, and also registers its actor in the ActorRegistry under <typeparamref name="TKey"/>, so actors can inject
    /// <c>IRequiredActor&lt;TKey&gt;</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid actor name, or this builder already starts a log of that name.</exception>
    public static AkkaConfigurationBuilder WithWriteAheadLog<TKey>(this AkkaConfigurationBuilder builder, string name, Func<WalOptions, WalOptions>? configure = null) =>
        builder.AddLog(name, configure, (registry, log) => registry.Register<TKey>(log));

    /// <summary>
    /// Registers <see cref="IWalClient"/> for the log started by <see cref="WithWriteAheadLog(AkkaConfigurationBuilder, Func{WalOptions, WalOptions}?)"/>,
    /// for code that is not an actor. (Akka.Hosting's builder cannot add services itself, so this is the one extra line.)
    /// If the host starts without that log, the client's calls fail with <see cref="WalNotStartedException"/>. Registering
    /// it again changes nothing.
    /// </summary>
    public static IServiceCollection AddWalClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IWalClient>(provider => Client(provider, WriteAheadLog.DefaultName));
        return services;
    }

    /// <summary>
    /// Registers a keyed <see cref="IWalClient"/> for the log named <paramref name="name"/>: inject it with
    /// <c>[FromKeyedServices("NAME")] IWalClient</c> or resolve it with <c>GetRequiredKeyedService&lt;IWalClient&gt;("NAME")</c>.
    /// Each name gets its own client; registering a name again changes nothing. If the host starts without a log of that
    /// name, the client's calls fail with <see cref="WalNotStartedException"/>.
    /// </summary>
    public static IServiceCollection AddWalClient(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.TryAddKeyedSingleton<IWalClient>(name, (provider, _) => Client(provider, name));
        return services;
    }

    /// <summary>
    /// Adds <see cref="WalLogger"/> to the actor system's loggers: every log event is also written to a node-local log
    /// under <see cref="WalLoggingOptions.Directory"/>, for example <c>options =&gt; options with { Directory = "/var/log/app" }</c>.
    /// The loggers configured so far (Akka's console logger by default, or those set in HOCON or by an earlier
    /// <c>ConfigureLoggers</c>) and the log level are kept, unless <paramref name="keepOtherLoggers"/> is false.
    /// </summary>
    /// <remarks>
    /// Akka.Hosting's <c>ConfigureLoggers</c> replaces the whole list, so call this after it. A system that starts without
    /// the logger (a later call replaced the list) logs a warning saying so.
    /// </remarks>
    public static AkkaConfigurationBuilder WithWalLogging(this AkkaConfigurationBuilder builder, Func<WalLoggingOptions, WalLoggingOptions>? configure = null,
        bool keepOtherLoggers = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = configure?.Invoke(new WalLoggingOptions()) ?? new WalLoggingOptions();
        builder.AddHocon(options.ToConfig(), HoconAddMode.Prepend);
        builder.AddHocon(WalConfig.Defaults, HoconAddMode.Append);
        // Read now, so the list is what was configured before this call (Akka.Hosting folds HOCON in as it is added).
        builder.AddHocon(WithWalLogger(builder.Configuration.GetOrElse(Config.Empty), keepOtherLoggers), HoconAddMode.Prepend);
        return builder.AddStartup((system, _) =>
        {
            if (!system.Settings.Loggers.Any(IsWalLogger))
            {
                system.Log.Warning("WithWalLogging: WalLogger is not among akka.loggers (a later ConfigureLoggers replaced them); call WithWalLogging after ConfigureLoggers");
            }
        });
    }

    private static AkkaConfigurationBuilder AddLog(this AkkaConfigurationBuilder builder, string name, Func<WalOptions, WalOptions>? configure,
        Action<IActorRegistry, IActorRef>? register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!ActorPath.IsValidPathElement(name))
        {
            throw new ArgumentException($"'{name}' cannot name a log: it must be a valid actor name.", nameof(name));
        }

        lock (Names)
        {
            if (!Names.GetOrCreateValue(builder).Add(name))
            {
                throw new ArgumentException($"This actor system already starts a write-ahead log named '{name}'; give each log its own name.", nameof(name));
            }
        }

        builder.AddHocon(WalConfig.Defaults, HoconAddMode.Append);
        return builder.WithActors((system, registry) =>
        {
            var options = WalOptions.FromConfig(system.Settings.Config.GetConfig(WalOptions.ConfigPath));
            options = configure?.Invoke(options) ?? options;
            var log = WriteAheadLog.Start(system, options, name);
            register?.Invoke(registry, log);
            HostedLogs.For(system).Register(name, log);
        });
    }

    private static HostedWalClient Client(IServiceProvider provider, string name) =>
        new(provider.GetRequiredService<ActorSystem>(), name, provider.GetService<IHostApplicationLifetime>());

    /// <summary>
    /// <c>akka.loggers</c> as configured so far, plus <see cref="WalLogger"/> (or only it). Unset, the list is Akka's
    /// default, the console logger.
    /// </summary>
    private static Config WithWalLogger(Config current, bool keepOtherLoggers)
    {
        var loggers = keepOtherLoggers && current.HasPath("akka.loggers")
            ? current.GetStringList("akka.loggers").ToList()
            : keepOtherLoggers ? [typeof(DefaultLogger).AssemblyQualifiedName!] : [];
        if (!loggers.Any(IsWalLogger))
        {
            loggers.Add(typeof(WalLogger).AssemblyQualifiedName!);
        }

        return ConfigurationFactory.ParseString($"akka.loggers = [{string.Join(", ", loggers.Select(l => l.ToHocon()))}]");
    }

    private static bool IsWalLogger(string typeName) =>
        typeName.Replace(" ", "", StringComparison.Ordinal).StartsWith($"{typeof(WalLogger).FullName},", StringComparison.Ordinal);
}
