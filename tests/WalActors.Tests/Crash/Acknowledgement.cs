namespace WalActors.Tests.Crash;

/// <summary>The log told a client that <paramref name="Request"/> is in the log at <paramref name="Lsns"/> (one per payload).</summary>
internal sealed record Acknowledgement(WorkloadRequest Request, IReadOnlyList<long> Lsns);
