using Akka.Configuration;

namespace WalActors.Persistence.Compaction;

/// <summary>When a plugin's log is compacted on its own (the plugin's <c>compaction</c> section).</summary>
/// <param name="Enabled">Whether passes start by themselves; on-demand compaction works either way.</param>
/// <param name="DeadShare">A pass starts once this share of the closed segments' bytes is dead.</param>
/// <param name="SegmentDeadShare">A pass rewrites the closed segments at least this share dead.</param>
/// <param name="CheckInterval">How often the dead share is looked at.</param>
/// <param name="RateBytesPerSecond">How many bytes of segments a pass scans per second at most; 0 for no limit.</param>
internal sealed record CompactionSettings(bool Enabled, double DeadShare, double SegmentDeadShare, TimeSpan CheckInterval, long RateBytesPerSecond)
{
    private const long DefaultRate = 32L * 1024 * 1024;

    /// <summary>Reads <c>compaction</c> from a plugin's section.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public static CompactionSettings From(Config section, string pluginId)
    {
        var settings = new CompactionSettings(
            section.GetBoolean("compaction.enabled", true),
            section.GetDouble("compaction.dead-share", 0.5),
            section.GetDouble("compaction.segment-dead-share", 0.2),
            section.GetTimeSpan("compaction.check-interval", TimeSpan.FromSeconds(30)),
            section.GetByteSize("compaction.rate-bytes-per-sec", DefaultRate) ?? DefaultRate);
        if (settings.DeadShare is <= 0 or > 1)
        {
            throw new ArgumentException($"{pluginId}.compaction.dead-share must be above 0 and at most 1; got {settings.DeadShare}.");
        }

        if (settings.SegmentDeadShare is <= 0 or > 1)
        {
            throw new ArgumentException($"{pluginId}.compaction.segment-dead-share must be above 0 and at most 1; got {settings.SegmentDeadShare}.");
        }

        if (settings.CheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{pluginId}.compaction.check-interval must be positive; got {settings.CheckInterval}.");
        }

        if (settings.RateBytesPerSecond < 0)
        {
            throw new ArgumentException($"{pluginId}.compaction.rate-bytes-per-sec must be 0 (no limit) or positive; got {settings.RateBytesPerSecond}.");
        }

        return settings;
    }
}
