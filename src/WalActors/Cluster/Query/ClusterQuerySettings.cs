using Akka.Configuration;

namespace WalActors.Cluster.Query;

/// <summary>The cluster read journal's settings (its HOCON section over hocon/cluster-query.conf), validated once.</summary>
/// <param name="RefreshInterval">How long a live query waits before asking a caught-up copy again, or etcd for new ledgers.</param>
/// <param name="PageSize">Entries asked of a copy per read.</param>
/// <param name="Timeout">How long one read of one copy may take before the next copy is tried.</param>
/// <param name="MaxLedgers">The most ledgers one merged query reads at once.</param>
internal sealed record ClusterQuerySettings(TimeSpan RefreshInterval, int PageSize, TimeSpan Timeout, int MaxLedgers)
{
    /// <summary>Reads <paramref name="section"/> (the plugin's section; missing keys keep the shipped defaults).</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names its key.</exception>
    public static ClusterQuerySettings From(Config section)
    {
        var merged = section.WithFallback(WalClusterReadJournal.DefaultConfiguration().GetConfig(WalClusterReadJournal.Identifier));
        var settings = new ClusterQuerySettings(
            merged.GetTimeSpan("refresh-interval"),
            merged.GetInt("page-size"),
            merged.GetTimeSpan("timeout"),
            merged.GetInt("max-ledgers"));
        Require(settings.RefreshInterval > TimeSpan.Zero, "refresh-interval", $"must be positive; got {settings.RefreshInterval}");
        Require(settings.PageSize >= 1, "page-size", $"must be at least 1; got {settings.PageSize}");
        Require(settings.Timeout > TimeSpan.Zero, "timeout", $"must be positive; got {settings.Timeout}");
        Require(settings.MaxLedgers >= 1, "max-ledgers", $"must be at least 1; got {settings.MaxLedgers}");
        return settings;
    }

    private static void Require(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{WalClusterReadJournal.Identifier}.{key} {problem}.");
        }
    }
}
