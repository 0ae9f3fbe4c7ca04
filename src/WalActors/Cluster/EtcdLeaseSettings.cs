using Akka.Configuration;
using Akka.Coordination;

namespace WalActors.Cluster;

/// <summary>
/// What one <see cref="EtcdLease"/> needs, read once from Akka's <see cref="LeaseSettings"/> and validated there, so a
/// bad setting fails when the lease is created, naming its key, and never in the middle of a heartbeat.
/// </summary>
internal sealed record EtcdLeaseSettings
{
    /// <summary>The etcd key of the lease: the key prefix and the lease name.</summary>
    public required string Key { get; init; }

    /// <summary>The owner name, stored as the key's value.</summary>
    public required string Owner { get; init; }

    /// <summary>The endpoints as the etcd client takes them (comma-separated URLs); also the key of the shared client.</summary>
    public required string Endpoints { get; init; }

    /// <summary>The TTL asked of etcd, whole seconds (heartbeat-timeout rounded up).</summary>
    public required long TtlSeconds { get; init; }

    /// <summary>How often the holder renews and checks its key.</summary>
    public required TimeSpan HeartbeatInterval { get; init; }

    /// <summary>The longest one call to etcd may take.</summary>
    public required TimeSpan OperationTimeout { get; init; }

    /// <summary>Reads and validates the settings of one lease; <see cref="ConfigurationException"/> names a bad key.</summary>
    public static EtcdLeaseSettings From(LeaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The lease's own section first (LeaseProvider already fell back to akka.coordination.lease), then ours, so
        // a section that names only lease-class still finds endpoints and key-prefix.
        var config = settings.LeaseConfig.WithFallback(WalCluster.DefaultConfig().GetConfig(WalCluster.LeaseConfigPath));
        var timeouts = settings.TimeoutSettings;

        if (string.IsNullOrEmpty(settings.LeaseName))
        {
            throw new ConfigurationException("An etcd lease needs a lease name (it is the etcd key's suffix).");
        }

        if (string.IsNullOrEmpty(settings.OwnerName))
        {
            throw new ConfigurationException("An etcd lease needs an owner name (it is the etcd key's value).");
        }

        Positive(timeouts.HeartbeatTimeout, "heartbeat-timeout");
        Positive(timeouts.HeartbeatInterval, "heartbeat-interval");
        Positive(timeouts.OperationTimeout, "lease-operation-timeout");
        if (timeouts.HeartbeatInterval >= timeouts.HeartbeatTimeout)
        {
            throw new ConfigurationException(
                $"Lease setting heartbeat-interval ({timeouts.HeartbeatInterval}) must be shorter than heartbeat-timeout " +
                $"({timeouts.HeartbeatTimeout}): the holder must renew before its etcd lease expires.");
        }

        return new EtcdLeaseSettings
        {
            Key = config.GetString("key-prefix", "") + settings.LeaseName,
            Owner = settings.OwnerName,
            Endpoints = string.Join(',', ReadEndpoints(config)),
            TtlSeconds = (long)Math.Ceiling(timeouts.HeartbeatTimeout.TotalSeconds),
            HeartbeatInterval = timeouts.HeartbeatInterval,
            OperationTimeout = timeouts.OperationTimeout,
        };
    }

    private static IEnumerable<string> ReadEndpoints(Config config)
    {
        var endpoints = config.GetStringList("endpoints");
        if (endpoints is null || endpoints.Count == 0)
        {
            throw new ConfigurationException("Lease setting endpoints is empty: name at least one etcd client URL.");
        }

        foreach (var endpoint in endpoints)
        {
            // TLS needs certificates the settings have no place for yet; refuse https rather than fail at the first call.
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort)
            {
                throw new ConfigurationException(
                    $"Lease setting endpoints has '{endpoint}': each must be an http URL with a port, e.g. http://127.0.0.1:2379.");
            }

            yield return uri.GetLeftPart(UriPartial.Authority);
        }
    }

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"Lease setting {key} must be positive, not {value}.");
        }
    }
}
