using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WalActors.Hosting;

/// <summary>
/// A hosted projection's health: healthy while it runs at most the allowed lag behind its journal, degraded while it
/// starts or lags further, unhealthy once it has stopped (with the error that stopped it). The data carries the lag.
/// </summary>
internal static class ProjectionHealth
{
    public static async Task<HealthCheckResult> CheckAsync(WalProjectionHandle? projection, string name, long maxHealthyLag, CancellationToken cancellationToken)
    {
        if (projection is null)
        {
            return HealthCheckResult.Degraded($"projection '{name}' has not started yet");
        }

        if (projection.Completion.IsCompleted)
        {
            var error = projection.Completion.Exception?.InnerException;
            return HealthCheckResult.Unhealthy($"projection '{name}' has stopped{(error is null ? "" : $": {error.Message}")}", error);
        }

        long lag;
        try
        {
            lag = await projection.GetLagAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WalException e)
        {
            return HealthCheckResult.Unhealthy($"projection '{name}' cannot read its journal: {e.Message}", e);
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["projection"] = name, ["lag_events"] = lag, ["max_healthy_lag"] = maxHealthyLag };
        return lag <= maxHealthyLag
            ? HealthCheckResult.Healthy(null, data)
            : HealthCheckResult.Degraded($"projection '{name}' is {lag:N0} events behind (more than {maxHealthyLag:N0})", null, data);
    }
}
