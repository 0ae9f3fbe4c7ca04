using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;

namespace WalActors;

/// <summary>An Akka.Streams sink that appends to a running log.</summary>
public static class WalSink
{
    /// <summary>
    /// Appends every element as one record, as <see cref="WalFlow.Append"/> does (bounded parallelism, waiting for room
    /// in the log), and materializes a task that completes when the last append has met <paramref name="durability"/>,
    /// or fails with the first append's error.
    /// </summary>
    /// <param name="log">The log's actor (local to this process).</param>
    /// <param name="parallelism">How many appends may wait for their acknowledgement at once; at least 1.</param>
    /// <param name="durability">When each record counts as appended.</param>
    public static Sink<ReadOnlyMemory<byte>, Task<Done>> Append(IActorRef log, int parallelism = 64, Durability durability = Durability.Durable) =>
        WalFlow.Append(log, parallelism, durability).ToMaterialized(Sink.Ignore<Lsn>(), Keep.Right);

    /// <summary>
    /// Commits every record that reaches it for the named consumer <paramref name="consumer"/>, as
    /// <see cref="WalFlow.Commit"/> does, and materializes a task that completes once the last commit is durable (or
    /// fails with the first commit's error).
    /// </summary>
    /// <param name="log">The log's actor (local to this process).</param>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="options">Commit frequency and lossiness; the defaults when null.</param>
    public static Sink<WalRecord, Task<Done>> Commit(IActorRef log, string consumer, WalConsumerOptions? options = null) =>
        WalFlow.Commit(log, consumer, options).ToMaterialized(Sink.Ignore<WalRecord>(), Keep.Right);
}
