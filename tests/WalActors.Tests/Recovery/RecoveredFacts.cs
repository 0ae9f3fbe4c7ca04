using System.Globalization;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors.Tests.Recovery;

/// <summary>
/// Everything a recovery of a log directory establishes that a later start depends on, as one comparable text: the
/// report, the record starts declared, every consumer's latest commit, the prefix's counts per segment. Recovered from a
/// copy, so the directory itself is left as it was.
/// </summary>
internal static class RecoveredFacts
{
    public static readonly RecoveryOptions FullScan = new(Support.TestLog.MaxRecordSize, InFlightWindow: 1024 * 1024);

    /// <summary>What recovering a copy of <paramref name="directory"/> finds, and where its scan began.</summary>
    public static (string Facts, long ScanStart) Of(string directory, bool usePoint, SegmentedStoreOptions options)
    {
        var copy = CopyOf(directory);
        try
        {
            if (!usePoint)
            {
                File.Delete(Path.Combine(copy, RecoveryPointFile.FileName));
            }

            using var store = SegmentedStore.Open(copy, options);
            var report = LogRecovery.Recover(store, FullScan with { UseRecoveryPoint = usePoint }, copy, out var prefix);
            var consumers = prefix.Consumers.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => $"{c.Key}={c.Value.Commit.Next}{(c.Value.Commit.Lossy ? " lossy" : string.Empty)}@{c.Value.Lsn}");
            var segments = prefix.Segments.Select(s => $"{s.FirstStart}:{s.Records}:{s.DurableEnd}");
            var starts = store.Segments.Select(s => store.RecordStartAtOrAfter(s.BaseOffset)?.ToString(CultureInfo.InvariantCulture) ?? "-");
            var facts = string.Join(
                Environment.NewLine,
                $"head {report.Head} end {report.End} records {report.RecordCount} cut {report.TruncatedAt} dropped {report.DroppedBytes} clean {report.ClosedCleanly}",
                $"durable {prefix.DurableEnd} records-end {prefix.RecordsEnd} close-marker {prefix.EndsWithCloseMarker} next-segment {prefix.NextSegmentBase}",
                $"declared starts {string.Join(' ', starts)}",
                $"segments {string.Join(' ', segments)}",
                $"consumers {string.Join(' ', consumers)}");
            return (facts, report.ScanStart);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>A copy of the log's files (not its lock) in a sibling directory: what a process killed now leaves.</summary>
    public static string CopyOf(string directory)
    {
        var copy = directory + "-copy-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != SegmentedStore.LockFileName))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}
