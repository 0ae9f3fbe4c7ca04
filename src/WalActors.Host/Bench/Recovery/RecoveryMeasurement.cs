namespace WalActors.Host.Bench.Recovery;

/// <summary>One system's time to open an existing log and validate every record in it.</summary>
/// <param name="System">The system's name.</param>
/// <param name="Records">Records found valid.</param>
/// <param name="Bytes">Bytes of log covered, framing included.</param>
/// <param name="Seconds">Wall time from the open call until the log was ready (and, for a peer without validation on open, fully scanned).</param>
/// <param name="WhatWasTimed">A few words on what the time covers.</param>
internal sealed record RecoveryMeasurement(string System, long Records, long Bytes, double Seconds, string WhatWasTimed)
{
    /// <summary>Records validated per second.</summary>
    public double RecordsPerSecond => Records / Seconds;

    /// <summary>Log bytes validated per second, in GB/s (10^9 B/s).</summary>
    public double GigabytesPerSecond => Bytes / Seconds / 1e9;
}
