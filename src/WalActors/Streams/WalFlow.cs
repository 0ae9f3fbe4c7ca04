using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using WalActors.Actors.Internal;

namespace WalActors;

/// <summary>Akka.Streams stages that append to a running log: the write-side pair of <see cref="WalSource.Tail"/>.</summary>
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
}
