namespace WalActors.CrashTests.Support;

/// <summary>One record as <c>walactors dump --format jsonl</c> printed it.</summary>
internal sealed record DumpedRecord(long Lsn, byte[] Payload);
