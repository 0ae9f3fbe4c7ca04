namespace WalActors.Tests.Crash;

/// <summary>A crash image after recovery: its bytes, what recovery reported, and the records it holds.</summary>
internal sealed record RecoveredLog(byte[] Bytes, RecoveryReport Report, IReadOnlyList<(long Lsn, byte[] Payload)> Records);
