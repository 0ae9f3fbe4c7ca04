namespace WalActors;

/// <summary>The log for code that is not an actor: every call is asynchronous and never blocks a thread.</summary>
public interface IWalClient
{
    /// <summary>Completes when the log has recovered and accepts appends; faults if recovery fails.</summary>
    Task<RecoveryReport> Ready { get; }

    /// <summary>Appends one record; completes with its LSN once it meets <paramref name="durability"/>.</summary>
    /// <exception cref="RecordTooLargeException">The payload exceeds max-record-size (nothing was written).</exception>
    /// <exception cref="WalFaultedException">A write or barrier failed; the record was not acknowledged.</exception>
    /// <exception cref="WalStoppedException">The log has been shut down.</exception>
    Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable);

    /// <summary>Appends several records atomically; completes with their LSNs once all meet <paramref name="durability"/>.</summary>
    Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable);

    /// <summary>Issues a barrier; completes with the durable end once everything acknowledged as written before the call is durable.</summary>
    Task<Lsn> SyncAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxRecords"/> records from <paramref name="from"/>, a record boundary.</summary>
    /// <exception cref="LogTruncatedException"><paramref name="from"/> is below the head.</exception>
    /// <exception cref="InvalidLsnException"><paramref name="from"/> is not the start of a record.</exception>
    Task<ReadResult> ReadAsync(Lsn from, int maxRecords, Durability level = Durability.Durable, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every record from <paramref name="from"/> on, then each new one as it becomes durable (or written), until cancelled
    /// or the log shuts down. Backpressured: records are read only as fast as they are consumed.
    /// </summary>
    IAsyncEnumerable<WalRecord> TailAsync(Lsn from, Durability level = Durability.Durable, CancellationToken cancellationToken = default);

    /// <summary>Drops whole leading segments that end at or before <paramref name="lsn"/>; completes with the new head.</summary>
    Task<Lsn> TruncateBeforeAsync(Lsn lsn, CancellationToken cancellationToken = default);

    /// <summary>Reads the log's state, positions and counters.</summary>
    Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
