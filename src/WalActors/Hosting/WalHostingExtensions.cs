using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WalActors.Logging;

namespace WalActors;

/// <summary>Akka.Hosting and dependency-injection registration of write-ahead logs.</summary>
public static class WalHostingExtensions
{
    /// <summary>
    /// Starts a write-ahead log with the actor system and registers its actor in the ActorRegistry under
    /// <see cref="WriteAheadLogActor"/>. Settings start from HOCON <c>walactors.log</c> (reference defaults plus your
    /// overrides) and then pass through <paramref name="configure"/>, for example
    /// <c>options =&gt; options with { Directory = "/var/lib/app/wal" }</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithWriteAheadLog(this AkkaConfigurationBuilder builder, Func<WalOptions, WalOptions>? configure = null) =>
        builder.WithWriteAheadLog<WriteAheadLogActor>(configure, "wal");

    /// <summary>
    /// Starts a write-ahead log named <paramref name="name"/> and registers it under <typeparamref name="TKey"/>, for
    /// applications with several logs.
    /// </summary>
    public static AkkaConfigurationBuilder WithWriteAheadLog<TKey>(this AkkaConfigurationBuilder builder, Func<WalOptions, WalOptions>? configure, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddHocon(WalConfig.Defaults, HoconAddMode.Append);
        return builder.WithActors((system, registry) =>
        {
            var options = WalOptions.FromConfig(system.Settings.Config.GetConfig(WalOptions.ConfigPath));
            options = configure?.Invoke(options) ?? options;
            var log = WriteAheadLog.Start(system, options, name);
            registry.Register<TKey>(log);
        });
    }

    /// <summary>
    /// Adds <see cref="WalLogger"/> to the actor system's loggers: every log event is written to a node-local log under
    /// <see cref="WalLoggingOptions.Directory"/>, for example <c>options =&gt; options with { Directory = "/var/log/app" }</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithWalLogging(this AkkaConfigurationBuilder builder, Func<WalLoggingOptions, WalLoggingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = configure?.Invoke(new WalLoggingOptions()) ?? new WalLoggingOptions();
        builder.AddHocon(options.ToConfig(), HoconAddMode.Prepend);
        builder.AddHocon(WalConfig.Defaults, HoconAddMode.Append);
        return builder.ConfigureLoggers(loggers => loggers.AddLogger<WalLogger>());
    }

    /// <summary>
    /// Registers <see cref="IWalClient"/> for the log started by <c>WithWriteAheadLog</c>, for code that is not an actor.
    /// (Akka.Hosting's builder cannot add services itself, so this is the one extra line.) If the host starts without
    /// that log, the client's calls fail with <see cref="WalNotStartedException"/>.
    /// </summary>
    public static IServiceCollection AddWalClient(this IServiceCollection services) => services.AddWalClient<WriteAheadLogActor>();

    /// <summary>Registers <see cref="IWalClient"/> for the log registered under <typeparamref name="TKey"/>.</summary>
    public static IServiceCollection AddWalClient<TKey>(this IServiceCollection services)
    {
        services.TryAddSingleton<IWalClient>(provider => new RegistryWalClient<TKey>(
            provider.GetRequiredService<ActorSystem>(),
            provider.GetRequiredService<IRequiredActor<TKey>>(),
            provider.GetService<IHostApplicationLifetime>()));
        return services;
    }
}
