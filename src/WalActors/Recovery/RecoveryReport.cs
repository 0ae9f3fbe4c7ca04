namespace WalActors;

/// <summary>What recovery found when the log was opened, and what it did about it.</summary>
/// <param name="Head">The LSN of the log's first record.</param>
/// <param name="End">The LSN where the next record will be written: the end of the last valid record.</param>
/// <param name="RecordCount">How many valid records lie between <paramref name="Head"/> and <paramref name="End"/>.</param>
/// <param name="TruncatedAt">Where a torn tail was cut off, or null when the log ended cleanly.</param>
/// <param name="DroppedBytes">How many non-zero bytes past <paramref name="End"/> were discarded.</param>
/// <param name="SalvagedDamageAt">Under the salvage policy, the LSN of the damage that was cut off; otherwise null.</param>
/// <param name="Duration">How long the scan, validation and truncation took.</param>
/// <param name="ClosedCleanly">Whether the log's last close was clean: it ended with the close marker, so every byte was known durable.</param>
/// <param name="SalvagedRecordCount">Under the salvage policy, how many valid records past the damage were exported before the cut.</param>
/// <param name="SalvageFile">Under the salvage policy, the file those records were exported to (JSON lines), or null.</param>
public sealed record RecoveryReport(
    long Head,
    long End,
    long RecordCount,
    long? TruncatedAt,
    long DroppedBytes,
    long? SalvagedDamageAt,
    TimeSpan Duration,
    bool ClosedCleanly = false,
    long SalvagedRecordCount = 0,
    string? SalvageFile = null)
{
    /// <summary>The size of the log's segment files, as the log was created with (0 for a store without segments).</summary>
    public long SegmentSize { get; init; }

    /// <summary>
    /// Where recovery began reading frames: <see cref="Head"/>, or the log's recovery point when one matched the log
    /// (everything before it was known whole and durable, and what a scan of it finds was stored with it).
    /// </summary>
    public long ScanStart { get; init; }

    /// <summary>The bytes of frames recovery read and checked: from <see cref="ScanStart"/> to <see cref="End"/>.</summary>
    public long ScannedBytes => End - ScanStart;

    /// <summary>The bytes of valid records the log holds.</summary>
    public long Bytes => End - Head;

    /// <summary>Whether a torn tail was found and cut off.</summary>
    public bool HadTornTail => TruncatedAt is not null;

    /// <summary>A one-line summary for logs and the command line.</summary>
    public override string ToString()
    {
        var tail = TruncatedAt is { } at ? $"torn tail truncated at LSN {at} ({DroppedBytes} bytes dropped)"
            : ClosedCleanly ? "closed cleanly" : "clean end";
        var damage = SalvagedDamageAt is { } d
            ? $", DAMAGE at LSN {d} salvaged ({SalvagedRecordCount} later valid records exported to {SalvageFile ?? "nowhere"})"
            : string.Empty;
        var scanned = ScanStart > Head ? $", scanned from the recovery point at LSN {ScanStart}" : string.Empty;
        return $"{RecordCount} records, {Bytes} bytes, LSN {Head}..{End}, {tail}{damage}{scanned}, in {Duration.TotalMilliseconds:F1} ms";
    }
}
