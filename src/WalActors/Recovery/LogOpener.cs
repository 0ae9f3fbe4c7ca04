using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>Opens a log directory and recovers it, remembering in its manifest the limits its records were written under.</summary>
internal static class LogOpener
{
    private const string MaxRecordSizeProperty = "max-record-size";
    private const string InFlightWindowProperty = "max-unsynced-bytes";

    /// <summary>Opens the segmented log in <see cref="WalOptions.Directory"/>.</summary>
    public static SegmentedStore OpenStore(WalOptions options) =>
        SegmentedStore.Open(options.Directory, new SegmentedStoreOptions { SegmentSize = options.SegmentSize });

    /// <summary>
    /// Recovers <paramref name="store"/>. For a segmented log, validation uses the largest limits the log was ever written
    /// under, so lowering a setting never turns valid records into "damage"; the new limits are recorded only once the
    /// log has been accepted.
    /// </summary>
    public static RecoveryReport Recover(IWalStore store, WalOptions options, string path)
    {
        var recoveryOptions = options.ToRecoveryOptions();
        if (store is SegmentedStore segmented)
        {
            recoveryOptions = recoveryOptions with
            {
                MaxRecordSize = (int)Math.Max(recoveryOptions.MaxRecordSize, segmented.Properties.GetValueOrDefault(MaxRecordSizeProperty)),
                InFlightWindow = Math.Max(recoveryOptions.InFlightWindow, segmented.Properties.GetValueOrDefault(InFlightWindowProperty)),
            };
        }

        var report = LogRecovery.Recover(store, recoveryOptions, path);
        if (store is SegmentedStore accepted && !accepted.IsReadOnly)
        {
            accepted.SetProperty(MaxRecordSizeProperty, recoveryOptions.MaxRecordSize);
            accepted.SetProperty(InFlightWindowProperty, recoveryOptions.InFlightWindow);
        }

        return report;
    }

    /// <summary>
    /// The recovery options a read-only tool should use for an existing segmented log. The window is the one the log
    /// remembers, not at least the default: a larger window would call damage in a log written with a smaller one a torn
    /// tail, while opening that log refuses it.
    /// </summary>
    public static RecoveryOptions ReadOnlyOptions(SegmentedStore store, RecoveryOptions defaults) => defaults with
    {
        MaxRecordSize = (int)Math.Max(defaults.MaxRecordSize, store.Properties.GetValueOrDefault(MaxRecordSizeProperty)),
        InFlightWindow = store.Properties.GetValueOrDefault(InFlightWindowProperty, defaults.InFlightWindow),
    };
}
