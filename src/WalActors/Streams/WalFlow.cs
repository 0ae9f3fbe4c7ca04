using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using WalActors.Actors.Internal;
using WalActors.Reading;

namespace WalActors;

/// <summary>Akka.Streams stages that append to a running log: the write-side pair of <see cref="WalSource.Tail(IActorRef, Lsn, Durability, string?)"/>.</summary>
public static class WalFlow
{
    /// <summary>
    /// Appends each element as one record and emits its LSN, in element order, once the record meets
    /// <paramref name="durability"/>. At most <paramref name="parallelism"/> appends are in flight; when the log is full
    /// (max-pending-appends / max-pending-bytes) the stage waits for room, so a fast upstream is backpressured rather than
    /// refused. The stream fails with the append's error (<see cref="RecordTooLargeException"/>,
    /// <see cref="WalFaultedException"/>, <see cref="WalStoppedException"/>, ...) and appends nothing after it.
    /// </summary>
    /// <remarks>
    /// The element's bytes are referenced, not copied, until its LSN is emitted: do not change them before then. Several
    /// appends in flight share barriers, so parallelism is what makes a durable stream fast.
    /// </remarks>
    /// <param name="log">The log's actor (local to this process).</param>
    /// <param name="parallelism">How many appends may wait for their acknowledgement at once; at least 1.</param>
    /// <param name="durability">When each record counts as appended.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallelism"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="log"/> is a live actor that is not a WalActors log of this process.</exception>
    public static Flow<ReadOnlyMemory<byte>, Lsn, NotUsed> Append(IActorRef log, int parallelism = 64, Durability durability = Durability.Durable)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var appender = new LogAppender(log);
        return Flow.Create<ReadOnlyMemory<byte>>()
            .SelectAsync(parallelism, payload => appender.AppendAsync(payload, durability, CancellationToken.None))
            .Named("wal-append");
    }

    /// <summary>
    /// Commits the records that pass for the named consumer <paramref name="consumer"/> and passes them on: one commit
    /// (of the last record of the group) every <see cref="WalConsumerOptions.CommitEvery"/> records or
    /// <see cref="WalConsumerOptions.CommitInterval"/>, whichever comes first, and one for what is left when upstream
    /// completes. A record is emitted only once its commit is durable. Put it after the stage that processes the records
    /// of <see cref="WalSource.Tail(IActorRef, string, WalConsumerOptions?, string?)"/>: what was processed and not yet
    /// committed comes again after a restart (at-least-once). The stream fails with the commit's error
    /// (<see cref="WalStoppedException"/>, <see cref="WalFaultedException"/>).
    /// </summary>
    /// <param name="log">The log's actor (local to this process).</param>
    /// <param name="consumer">The consumer's name (non-empty, at most 256 UTF-8 bytes).</param>
    /// <param name="options">Commit frequency and <see cref="WalConsumerOptions.Lossy"/>; the defaults when null.</param>
    /// <exception cref="ArgumentException"><paramref name="consumer"/> is not a valid name, or <paramref name="log"/> is a live
    /// actor that is not a WalActors log of this process.</exception>
    public static Flow<WalRecord, WalRecord, NotUsed> Commit(IActorRef log, string consumer, WalConsumerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ConsumerCommitter.CheckName(consumer);
        var settings = options ?? new WalConsumerOptions();
        var committer = new ConsumerCommitter(log);
        return Flow.Create<WalRecord>()
            .GroupedWithin(settings.CommitEvery, settings.CommitInterval)
            .SelectAsync(1, async group =>
            {
                var records = group as IReadOnlyList<WalRecord> ?? [.. group];
                await committer.CommitAsync(consumer, records[^1].Next.Value, settings.Lossy, CancellationToken.None).ConfigureAwait(false);
                return records;
            })
            .SelectMany(records => records)
            .Named("wal-commit");
    }
}
