namespace WalActors.Benchmarks.Startup;

/// <summary>One start of the log: how it had stopped, how long until ready, and how much recovery read.</summary>
/// <param name="Scenario">How the log had stopped before this start, and whether it had a recovery point.</param>
/// <param name="Seconds">From <c>WriteAheadLog.Start</c> until the client's <c>Ready</c>.</param>
/// <param name="ScannedBytes">The bytes of frames recovery read and checked (<c>RecoveryReport.ScannedBytes</c>).</param>
/// <param name="LogBytes">The bytes of records the log held.</param>
/// <param name="Records">The records the log held.</param>
internal sealed record StartupRow(string Scenario, double Seconds, long ScannedBytes, long LogBytes, long Records);
