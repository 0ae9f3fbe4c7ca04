using Akka.Actor;

namespace WalActors.Cluster.Replication;

// The messages that cross Akka.Remote between a ledger's writer and its replicas (ReplicationSerializer binds them
// through this marker). Positions are entry numbers in the ledger (0, 1, 2, …), not byte LSNs: every copy frames its
// records at byte positions of its own, so only entry numbers mean the same thing on every node.

/// <summary>Marks a message of the replication protocol, so that one HOCON binding names them all.</summary>
internal interface IReplicationMessage;

/// <summary>One entry of a ledger: the epoch of the writer that first wrote it, and its bytes.</summary>
internal sealed record LedgerEntry(long Epoch, byte[] Payload);

/// <summary>Where a run of entries written under <paramref name="Epoch"/> starts in a ledger (Kafka's leader-epoch cache).</summary>
internal sealed record EpochStart(long Epoch, long Start);

/// <summary>
/// The writer of epoch <paramref name="Epoch"/> asks a replica to hold <paramref name="Entries"/> at positions
/// <paramref name="First"/>, <paramref name="First"/>+1, …. The first batch of a new writer replaces whatever the
/// replica holds from <paramref name="First"/> on; later ones of the same writer only extend it (an overlap is a resend
/// and is skipped). Answered with <see cref="Replicated"/> once durable, <see cref="Behind"/> when the replica lacks
/// entries before <paramref name="First"/>, or <see cref="Refused"/> for a stale epoch. <paramref name="WriterDurableEnd"/>
/// is the writer's quorum end when it sent the batch (BookKeeper's last-add-confirmed): the copy records it with the
/// batch, and serves readers that ask for committed entries only up to it.
/// </summary>
internal sealed record ReplicateBatch(string Ledger, long Epoch, long First, IReadOnlyList<LedgerEntry> Entries, long WriterDurableEnd) : IReplicationMessage;

/// <summary>
/// The writer of <paramref name="Epoch"/> tells a copy its quorum end when no batch is on its way to carry it (the
/// writer went idle), so readers of the copy see every acknowledged entry. Not answered; a copy that is not aligned with
/// that writer (its view does not end with the writer's batches) ignores it, as its entries may differ from the writer's.
/// </summary>
internal sealed record Commit(string Ledger, long Epoch, long CommittedEnd) : IReplicationMessage;

/// <summary>The replica holds, durably, every entry below <paramref name="DurableEnd"/> as the writer of <paramref name="Epoch"/> sent them.</summary>
internal sealed record Replicated(string Ledger, long Epoch, long DurableEnd) : IReplicationMessage;

/// <summary>The batch started past the replica's end: nothing was written, the writer must send from <paramref name="DurableEnd"/> (or where its history says the copies part).</summary>
internal sealed record Behind(string Ledger, long Epoch, long DurableEnd) : IReplicationMessage;

/// <summary>
/// A new owner claims the ledger at <paramref name="Epoch"/>: the replica records the epoch durably, then answers
/// <see cref="Fenced"/>, and from then on refuses every write of a lower epoch.
/// </summary>
internal sealed record Fence(string Ledger, long Epoch) : IReplicationMessage;

/// <summary>The replica is fenced at <paramref name="Epoch"/>; it holds <paramref name="DurableEnd"/> entries, written in the epochs <paramref name="History"/> lists.</summary>
internal sealed record Fenced(string Ledger, long Epoch, long DurableEnd, IReadOnlyList<EpochStart> History) : IReplicationMessage;

/// <summary>
/// Reads up to <paramref name="MaxEntries"/> durable entries from <paramref name="From"/>, answered with
/// <see cref="RangeRead"/>: catch-up and recovery read everything the copy holds; readers of events set
/// <paramref name="CommittedOnly"/> and get only entries below the copy's committed end (acknowledged ones).
/// </summary>
internal sealed record ReadRange(string Ledger, long From, int MaxEntries, bool CommittedOnly = false) : IReplicationMessage;

/// <summary>
/// The entries from <paramref name="From"/> on (empty at the end), the replica's durable end, and its committed end
/// (every entry below it is acknowledged and held by this copy).
/// </summary>
internal sealed record RangeRead(string Ledger, long From, IReadOnlyList<LedgerEntry> Entries, long DurableEnd, long CommittedEnd) : IReplicationMessage;

/// <summary>The request's epoch is below <paramref name="HighestEpoch"/>, the highest the replica has seen: a newer owner exists.</summary>
internal sealed record Refused(string Ledger, long HighestEpoch, string Reason) : IReplicationMessage;

/// <summary>
/// Asks a node's replica host (<c>LedgerReplicaHost</c>) for its copy of <paramref name="Ledger"/>, started if it does not run;
/// answered with <see cref="ReplicaReady"/>.
/// </summary>
internal sealed record EnsureReplica(string Ledger) : IReplicationMessage;

/// <summary>
/// The copy of <paramref name="Ledger"/> on the answering node: the very incarnation a writer must address, since the
/// writer counts answers only from the incarnation it writes to.
/// </summary>
internal sealed record ReplicaReady(string Ledger, IActorRef Replica) : IReplicationMessage;
