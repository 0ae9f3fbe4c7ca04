using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WalActors.Hosting;

namespace WalActors;

/// <summary>Akka.Hosting registration of a <see cref="WalProjection"/> and its health check.</summary>
public static class WalProjectionHostingExtensions
{
    /// <summary>
    /// Runs projection <paramref name="name"/> with a <typeparamref name="THandler"/> from the host's services (register
    /// it, for example <c>services.AddSingleton&lt;THandler&gt;()</c>) once the actor system has started, stops it
    /// gracefully (its handled events committed) when the system shuts down, and adds a health check named
    /// <c>walactors-projection-NAME</c>: healthy at most <paramref name="maxHealthyLag"/> events behind, degraded further
    /// behind or while starting, unhealthy once stopped. The journal (<c>WithWalPersistence</c>) must be configured too.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="name">The projection's name (its offset is stored under it).</param>
    /// <param name="query">Which events it handles.</param>
    /// <param name="options">Mode, commit frequency, read journal; the defaults when null.</param>
    /// <param name="maxHealthyLag">How many events behind still counts as healthy (10,000 by default).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or too long.</exception>
    /// <exception cref="InvalidOperationException">At start: <typeparamref name="THandler"/> is not registered, or a projection of that name already runs.</exception>
    public static AkkaConfigurationBuilder WithWalProjection<THandler>(
        this AkkaConfigurationBuilder builder, string name, ProjectionQuery query, WalProjectionOptions? options = null, long maxHealthyLag = 10_000)
        where THandler : class, IWalProjectionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(query);
        _ = WalProjection.ConsumerName(name);
        builder.WithActors((system, _, resolver) =>
        {
            var handler = resolver.GetService<THandler>()
                ?? throw new InvalidOperationException($"Projection '{name}' needs a {typeof(THandler).Name} from the host's services: register one (services.AddSingleton<{typeof(THandler).Name}>()).");
            var projection = WalProjection.Start(system, name, query, handler, options);
            HostedProjections.For(system).Register(projection);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, $"stop-projection-{name}", async () =>
            {
                await projection.DisposeAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });
        });
        return builder.WithHealthCheck(
            $"walactors-projection-{name}",
            (system, _, cancellationToken) => ProjectionHealth.CheckAsync(HostedProjections.For(system).Find(name), name, maxHealthyLag, cancellationToken),
            HealthStatus.Unhealthy,
            ["walactors", "projection"]);
    }
}
