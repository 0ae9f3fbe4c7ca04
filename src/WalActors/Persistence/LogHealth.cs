using Akka.Persistence;

namespace WalActors.Persistence;

/// <summary>
/// The health a persistence plugin reports for its log, as Akka.Persistence's health checks ask
/// (<c>CheckHealthAsync</c>, and Akka.Hosting's <c>WithHealthCheck</c> on top of it).
/// </summary>
/// <remarks>
/// Healthy while the log is ready; degraded while it recovers or when its disk has less room than two segments (the next
/// ones would not fit); unhealthy once it is faulted or stopped, with the fault. The data carries the positions and
/// counters an operator looks at first.
/// </remarks>
internal static class LogHealth
{
    /// <param name="client">The plugin's log.</param>
    /// <param name="options">Its options.</param>
    /// <param name="cancellationToken">Stops waiting for the log.</param>
    /// <param name="compactionBacklog">Given the durable end, the estimated dead bytes compaction could reclaim; null for none.</param>
    public static async Task<PersistenceHealthCheckResult> CheckAsync(
        IWalClient client, WalOptions options, CancellationToken cancellationToken, Func<long, long>? compactionBacklog = null)
    {
        WalStatus status;
        try
        {
            status = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WalException e)
        {
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Unhealthy, $"the log cannot be asked: {e.Message}", e);
        }

        var freeBytes = FreeBytes(options.Directory);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["state"] = status.State.ToString(),
            ["directory"] = options.Directory,
            ["head"] = status.Head.Value,
            ["durable_end"] = status.DurableEnd.Value,
            ["written_end"] = status.WrittenEnd.Value,
            ["unsynced_bytes"] = status.WrittenEnd.Value - status.DurableEnd.Value,
            ["appends"] = status.Counters.Appends,
            ["barriers"] = status.Counters.Barriers,
            ["failed"] = status.Counters.Failed,
            ["free_disk_bytes"] = freeBytes ?? -1,
        };
        if (compactionBacklog is not null)
        {
            data["compaction_backlog_bytes"] = compactionBacklog(status.DurableEnd.Value);
        }

        return status.State switch
        {
            WalState.Ready when freeBytes is { } free && free < 2 * options.SegmentSize =>
                new PersistenceHealthCheckResult(PersistenceHealthStatus.Degraded, $"{free:N0} bytes free on the log's disk: fewer than two segments", null, data),
            WalState.Ready => new PersistenceHealthCheckResult(PersistenceHealthStatus.Healthy, null, null, data),
            WalState.Recovering => new PersistenceHealthCheckResult(PersistenceHealthStatus.Degraded, "the log is recovering", null, data),
            _ => new PersistenceHealthCheckResult(
                PersistenceHealthStatus.Unhealthy, $"the log is {status.State.ToString().ToLowerInvariant()}: {status.Fault?.Message ?? "stopped"}", status.Fault, data),
        };
    }

    private static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
