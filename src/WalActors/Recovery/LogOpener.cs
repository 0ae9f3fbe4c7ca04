using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>Opens a log directory and recovers it, remembering in its manifest the limits its records were written under.</summary>
internal static class LogOpener
{
    private const string MaxRecordSizeProperty = "max-record-size";
    private const string InFlightWindowProperty = "max-unsynced-bytes";

    /// <summary>The manifest property a clean close sets to the end it left the log at, the close marker included.</summary>
    public const string ClosedAtProperty = "closed-at";

    /// <summary>
    /// Opens the segmented log in <paramref name="directory"/>; <paramref name="segmentSize"/> applies to a new log only,
    /// <paramref name="recycleSegments"/> is how many dropped segments retention keeps for reuse.
    /// </summary>
    public static SegmentedStore OpenStore(string directory, long segmentSize, int recycleSegments = 0) =>
        SegmentedStore.Open(directory, new SegmentedStoreOptions { SegmentSize = segmentSize, RecycleSegments = recycleSegments });

    /// <summary>
    /// Recovers <paramref name="store"/>. For a segmented log, validation uses the largest limits the log was ever written
    /// under, so lowering a setting never turns valid records into "damage"; the new limits are recorded only once the
    /// log has been accepted. The segment the next append goes to is created before this returns, so the first append of
    /// a new log waits for one barrier, not for a segment's zero-fill.
    /// </summary>
    public static RecoveryReport Recover(IWalStore store, RecoveryOptions configured, string path) => Recover(store, configured, path, out _);

    /// <inheritdoc cref="Recover(IWalStore, RecoveryOptions, string)"/>
    /// <param name="store">The store to recover.</param>
    /// <param name="configured">The configured limits and policy.</param>
    /// <param name="path">The log's path, for errors.</param>
    /// <param name="prefix">What the scan found up to the recovered end (the latest commit of every consumer among it).</param>
    public static RecoveryReport Recover(IWalStore store, RecoveryOptions configured, string path, out LogPrefix prefix)
    {
        var recoveryOptions = configured;
        if (store is SegmentedStore segmented)
        {
            recoveryOptions = recoveryOptions with
            {
                MaxRecordSize = ReadLimit(segmented, recoveryOptions.MaxRecordSize),
                InFlightWindow = Math.Max(recoveryOptions.InFlightWindow, segmented.Properties.GetValueOrDefault(InFlightWindowProperty)),
                SalvageDirectory = segmented.Directory,
                ClosedAt = segmented.Properties.GetValueOrDefault(ClosedAtProperty),
            };
            if (!segmented.HeadIsRecordStart && FindLegacyHead(segmented, recoveryOptions.MaxRecordSize) is { } head)
            {
                segmented.RecordHead(head);
            }
        }

        var report = LogRecovery.Recover(store, recoveryOptions, path, out prefix);
        if (store is SegmentedStore accepted && !accepted.IsReadOnly)
        {
            accepted.SetProperty(MaxRecordSizeProperty, recoveryOptions.MaxRecordSize);
            accepted.SetProperty(InFlightWindowProperty, recoveryOptions.InFlightWindow);
            if (recoveryOptions.ClosedAt > report.End)
            {
                // Salvage cut the log below its last clean close: the cut is the end now.
                accepted.SetProperty(ClosedAtProperty, report.End);
            }

            accepted.EnsureSegmentFor(report.End);
        }

        return report;
    }

    /// <summary>
    /// The largest payload a reader of <paramref name="store"/> must accept: the configured limit or, if larger, the
    /// largest the log was ever written with, so a log reopened with a smaller limit still reads every record it holds.
    /// </summary>
    public static int ReadLimit(IWalStore store, int configured) =>
        store is SegmentedStore segmented
            ? (int)Math.Max(configured, segmented.Properties.GetValueOrDefault(MaxRecordSizeProperty))
            : configured;

    /// <summary>
    /// The limits a read-only tool validates an existing log with: those recorded in its manifest by the process that
    /// wrote it, or <paramref name="defaults"/> for a log that never recorded any.
    /// </summary>
    public static RecoveryOptions ReadOnlyOptions(SegmentedStore store, RecoveryOptions defaults) => defaults with
    {
        MaxRecordSize = store.Properties.TryGetValue(MaxRecordSizeProperty, out var maxRecordSize) ? (int)maxRecordSize : defaults.MaxRecordSize,
        InFlightWindow = store.Properties.TryGetValue(InFlightWindowProperty, out var window) ? window : defaults.InFlightWindow,
        ClosedAt = store.Properties.GetValueOrDefault(ClosedAtProperty),
    };

    /// <summary>
    /// Where the first record of a log trimmed by format version 1 starts: its head was the base of its first segment,
    /// usually inside a record that straddled the dropped one. Version 1 frames fail their position check anywhere but
    /// where they were written, so the first valid frame from that base on is the first whole record.
    /// </summary>
    public static long? FindLegacyHead(SegmentedStore store, int maxRecordSize) =>
        LogAnalyzer.FindNextValidFrame(store, store.Head, store.Length, maxRecordSize);
}
