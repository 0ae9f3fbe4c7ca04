namespace WalActors.Host.Output;

/// <summary>A recovery report as the commands print it: counts and sizes with thousands separators, LSNs without.</summary>
internal static class RecoveryLine
{
    public static string Of(RecoveryReport report)
    {
        var tail = report.TruncatedAt is { } at ? $"torn tail truncated at LSN {at} ({report.DroppedBytes:N0} bytes dropped)"
            : report.ClosedCleanly ? "closed cleanly" : "clean end";
        var damage = report.SalvagedDamageAt is { } d
            ? $", DAMAGE at LSN {d} salvaged ({report.SalvagedRecordCount:N0} later valid records exported to {report.SalvageFile ?? "nowhere"})"
            : string.Empty;
        return $"{report.RecordCount:N0} records, {report.Bytes:N0} bytes, LSN {report.Head}..{report.End}, {tail}{damage}, in {report.Duration.TotalMilliseconds:N1} ms";
    }
}
