using System.Diagnostics;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>
/// The recovery algorithm: scan from the head, stop at the first record that does not validate, tell a torn tail from
/// damage by what the valid frames prove was durable, cut the tail off durably, and report.
/// </summary>
internal static class LogRecovery
{
    /// <exception cref="LogDamagedException">Damage was found and the policy is strict; the log was not modified.</exception>
    /// <exception cref="NotAWalLogException">The store does not hold a WalActors log; it was not modified.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format; it was not modified.</exception>
    public static RecoveryReport Recover(IWalStore store, RecoveryOptions options, string path) => Recover(store, options, path, out _);

    /// <inheritdoc cref="Recover(IWalStore, RecoveryOptions, string)"/>
    /// <param name="store">The store to recover.</param>
    /// <param name="options">The limits and policy.</param>
    /// <param name="path">The log's path, for errors.</param>
    /// <param name="prefix">
    /// What the scan found up to the recovered end: among it, the latest commit of every consumer with the LSN of its frame.
    /// The log's recovery point actor continues it as the log grows.
    /// </param>
    public static RecoveryReport Recover(IWalStore store, RecoveryOptions options, string path, out LogPrefix prefix)
    {
        var clock = Stopwatch.StartNew();
        var from = options.UseRecoveryPoint && store is IRecoveryPointStore points && store is not SegmentedStore { IsReadOnly: true }
            ? RecoveryPoint.Load(store, points, options.MaxRecordSize)
            : null;
        var analysis = LogAnalyzer.Analyze(store, options, path, from);
        prefix = analysis.Prefix!;
        prefix.DropOpenBatch();
        if (analysis.IsDamaged && options.Policy == RecoveryPolicy.Strict)
        {
            throw new LogDamagedException(path, analysis.End, Describe(analysis));
        }

        long salvaged = 0;
        string? salvageFile = null;
        if (analysis.IsDamaged)
        {
            // Salvage keeps the valid prefix; what is valid past the damage goes to a side file first, never silently away.
            salvageFile = options.SalvageDirectory is { } directory ? Path.Combine(directory, SalvageExport.FileName(analysis.End)) : null;
            if (salvageFile is not null)
            {
                salvaged = SalvageExport.Export(store, analysis.End + FrameCodec.Alignment, analysis.StoreLength, options.MaxRecordSize, salvageFile);
            }
        }

        if (analysis.StoreLength > analysis.End && store is SegmentedStore cut)
        {
            // Past the last byte this log wrote there are only zeros and a recycled segment's stale frames: nothing to zero.
            cut.Truncate(analysis.End, Math.Max(analysis.End, analysis.LastNonZeroByte + 1));
        }
        else if (analysis.StoreLength > analysis.End)
        {
            store.Truncate(analysis.End);
        }

        // Every frame written from now on claims that everything below the recovered end is durable; a crashed process
        // may have left part of it only in the page cache.
        store.Sync();
        foreach (var start in analysis.RecordStarts)
        {
            store.NoteRecordStart(start);
        }

        return new RecoveryReport(
            analysis.Head,
            analysis.End,
            analysis.RecordCount,
            analysis.TailBytes > 0 ? analysis.End : null,
            analysis.TailBytes,
            analysis.IsDamaged ? analysis.End : null,
            clock.Elapsed,
            analysis.ClosedCleanly,
            salvaged,
            salvageFile)
        {
            SegmentSize = store is SegmentedStore segmented ? segmented.SegmentSize : 0,
            ScanStart = analysis.ScanStart,
        };
    }

    public static string Describe(LogAnalysis analysis) =>
        $"{DescribeFault(analysis.Fault)}, yet {analysis.Evidence}";

    public static string DescribeFault(FrameFault fault) => fault switch
    {
        FrameFault.Zeros => "a hole of zero bytes",
        FrameFault.Short => "an incomplete record",
        FrameFault.BadMagic => "bytes that are not a record header",
        FrameFault.BadHeader => "an invalid record header",
        FrameFault.TooLarge => "a record header with an impossible length",
        FrameFault.BadChecksum => "a checksum mismatch",
        FrameFault.FutureVersion => "a record from a newer format version",
        _ => "the end of the log",
    };
}
