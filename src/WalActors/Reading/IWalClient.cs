using System.Diagnostics.CodeAnalysis;

namespace WalActors;

/// <summary>The log for code that is not an actor: every call is asynchronous and never blocks a thread.</summary>
/// <remarks>
/// <para>Every call completes, whatever happens to the log: once it has stopped (gracefully or not) or faulted, calls fail
/// with <see cref="WalStoppedException"/> or <see cref="WalFaultedException"/> promptly, never by timing out; a client
/// whose log was never started fails with <see cref="WalNotStartedException"/>.</para>
/// <para>Buffers: the append methods copy the payloads before they return, so the caller may reuse its buffers at once.</para>
/// <para>Cancellation: a token cancels waiting (for room in the log, for a reply, for the next record); an append whose
/// wait for room is cancelled was not sent. Once an append has been handed to the log, its task completes with the log's
/// answer and the token no longer applies: the record may be written even if the caller stopped caring.</para>
/// </remarks>
public interface IWalClient
{
    /// <summary>Completes when the log has recovered and accepts appends; faults if recovery fails or the log stops first.</summary>
    Task<RecoveryReport> Ready { get; }

    /// <summary>
    /// Appends one record; completes with its LSN once it meets <paramref name="durability"/>. When the log already holds
    /// max-pending-appends / max-pending-bytes waiting, waits for room first (this is how producers are slowed down).
    /// </summary>
    /// <exception cref="RecordTooLargeException">The payload exceeds max-record-size (nothing was written).</exception>
    /// <exception cref="InvalidAppendException"><paramref name="durability"/> is not a defined value (nothing was written).</exception>
    /// <exception cref="WalFaultedException">A write or barrier failed; the record was not acknowledged.</exception>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for room; nothing was sent.</exception>
    Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends one record if the log has room now, like <see cref="AppendAsync"/> otherwise; returns false at once, sending
    /// nothing, when the log is full (or, for a hosted client, its log is not registered yet).
    /// </summary>
    /// <param name="payload">The record's bytes; copied before this returns.</param>
    /// <param name="appended">When true is returned, completes as <see cref="AppendAsync"/> would (a stopped log fails it
    /// with <see cref="WalStoppedException"/>); null when false is returned.</param>
    /// <param name="durability">When to acknowledge.</param>
    bool TryAppend(ReadOnlyMemory<byte> payload, [NotNullWhen(true)] out Task<Lsn>? appended, Durability durability = Durability.Durable);

    /// <summary>
    /// Appends several records atomically; completes with their LSNs once all meet <paramref name="durability"/>. Waits
    /// for room like <see cref="AppendAsync"/>; the batch counts as one append.
    /// </summary>
    /// <exception cref="InvalidAppendException">The batch is empty, or <paramref name="durability"/> is not defined.</exception>
    /// <exception cref="RecordTooLargeException">A payload exceeds max-record-size or the batch max-batch-size.</exception>
    Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable, CancellationToken cancellationToken = default);

    /// <summary>Issues a barrier; completes with the durable end once everything acknowledged as written before the call is durable.</summary>
    Task<Lsn> SyncAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxRecords"/> records from <paramref name="from"/>, a record boundary.</summary>
    /// <exception cref="LogTruncatedException"><paramref name="from"/> is below the head.</exception>
    /// <exception cref="InvalidLsnException"><paramref name="from"/> is not the start of a record.</exception>
    /// <exception cref="WalStoppedException">The log has been shut down (at once, not after a timeout).</exception>
    Task<ReadResult> ReadAsync(Lsn from, int maxRecords, Durability level = Durability.Durable, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every record from <paramref name="from"/> on, then each new one as it becomes durable (or written), until cancelled
    /// or the log shuts down. Backpressured: records are read only as fast as they are consumed. Cancelling ends the
    /// enumeration with <see cref="OperationCanceledException"/>; a log that faults ends it with <see cref="WalFaultedException"/>.
    /// </summary>
    IAsyncEnumerable<WalRecord> TailAsync(Lsn from, Durability level = Durability.Durable, CancellationToken cancellationToken = default);

    /// <summary>
    /// The records of the named consumer <paramref name="consumer"/>: from where its latest commit says it resumes (for a
    /// consumer that never committed, <see cref="WalConsumerOptions.StartAt"/> or the head), then each new one as it
    /// becomes durable, like <see cref="TailAsync(Lsn, Durability, CancellationToken)"/>. With
    /// <see cref="WalConsumerOptions.AutoCommit"/> it commits, every <see cref="WalConsumerOptions.CommitEvery"/> records
    /// or <see cref="WalConsumerOptions.CommitInterval"/>, the records the caller has moved past: a record counts as
    /// processed once the next one is asked for, so a loop that fails or a process that dies while handling one gets it
    /// again (at-least-once). Leaving the loop commits what was moved past, not the last record yielded.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="consumer"/> is empty or longer than 256 UTF-8 bytes.</exception>
    /// <exception cref="LogTruncatedException">Retention dropped records the consumer had not committed (only a lossy one).</exception>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    [SuppressMessage("ApiDesign", "RS0026", Justification = WalActors.Reading.OverloadJustification.ConsumerTail)]
    IAsyncEnumerable<WalRecord> TailAsync(string consumer, WalConsumerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits, for <paramref name="consumer"/>, every record up to and including the one at <paramref name="lsn"/>: a
    /// commit frame in the log itself, acknowledged once durable. The first commit registers the consumer; from then on
    /// retention keeps every record after its committed position unless <paramref name="lossy"/>. A later commit may move
    /// the position back.
    /// </summary>
    /// <returns>The consumer's new position (it resumes at the record after <paramref name="lsn"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="consumer"/> is empty or longer than 256 UTF-8 bytes.</exception>
    /// <exception cref="InvalidLsnException"><paramref name="lsn"/> is not the LSN of a durable record of the log (nothing was written).</exception>
    /// <exception cref="LogTruncatedException"><paramref name="lsn"/> is below the head (nothing was written).</exception>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    /// <exception cref="WalFaultedException">A write or barrier failed; the commit may or may not be in the log.</exception>
    Task<ConsumerPosition> CommitAsync(string consumer, Lsn lsn, bool lossy = false, CancellationToken cancellationToken = default);

    /// <summary>Where <paramref name="consumer"/> resumes, once the log has recovered; null when it never committed or was removed.</summary>
    /// <exception cref="ArgumentException"><paramref name="consumer"/> is empty or longer than 256 UTF-8 bytes.</exception>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    Task<ConsumerPosition?> GetConsumerAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>Every registered consumer of the log and its position, by name, once the log has recovered.</summary>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    Task<IReadOnlyList<ConsumerPosition>> GetConsumersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="consumer"/> (a commit frame saying so, durable when this completes): it no longer holds
    /// retention back, and it starts afresh if it tails again. Removing a consumer that is not registered writes the same
    /// frame and changes nothing else.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="consumer"/> is empty or longer than 256 UTF-8 bytes.</exception>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    Task RemoveConsumerAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops whole leading segments that end at or before <paramref name="lsn"/>; completes with the new head. Nothing a
    /// registered consumer that is not lossy has yet to process is dropped, so the head may stay below <paramref name="lsn"/>.
    /// </summary>
    Task<Lsn> TruncateBeforeAsync(Lsn lsn, CancellationToken cancellationToken = default);

    /// <summary>Reads the log's state, positions and counters.</summary>
    Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
