namespace WalActors.Tests.Crash;

/// <summary>What the disk holds after a crash, and how it came to hold it.</summary>
/// <param name="Bytes">The store's bytes as a reopened process would find them.</param>
/// <param name="IsPowerLoss">True for a power loss (only barriers count); false for a process crash (every completed write survives in the kernel).</param>
/// <param name="Fates">What happened to each write no barrier covered, for failure messages.</param>
/// <param name="RecoveryPoint">The recovery point the crash left (its LSN and body), or null.</param>
internal sealed record CrashImage(byte[] Bytes, bool IsPowerLoss, string Fates, (long End, byte[] Body)? RecoveryPoint = null);
