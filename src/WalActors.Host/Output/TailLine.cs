using WalActors.Logging;

namespace WalActors.Host.Output;

/// <summary>
/// How <c>tail</c> prints a record: a WalLogger event readably in text (time, level, source, message), anything else
/// as <see cref="RecordLine"/> does; with a minimum level, only events at or above it.
/// </summary>
internal static class TailLine
{
    /// <summary>The line for the record, or null when the level filter (<paramref name="minimumRank"/>, -1 for none) drops it.</summary>
    public static string? Of(Lsn lsn, ReadOnlySpan<byte> payload, RecordFormat format, int minimumRank)
    {
        var isEvent = LogEventRecord.TryParse(payload, out var logEvent);
        if (minimumRank >= 0 && (!isEvent || LogEventRecord.Rank(logEvent!.Level) < minimumRank))
        {
            return null;
        }

        return format == RecordFormat.Text && isEvent ? logEvent!.ToString() : RecordLine.Of(lsn, payload, format);
    }
}
