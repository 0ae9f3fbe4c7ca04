using System.Diagnostics.CodeAnalysis;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Actors.Internal;
using WalActors.Reading;

namespace WalActors;

/// <summary>Akka.Streams sources over a running log.</summary>
public static class WalSource
{
    private const string DefaultReadDispatcher = "walactors.read-dispatcher";

    /// <summary>
    /// Every record from <paramref name="from"/> on, in LSN order, exactly once: first what is already in the log, then
    /// each new record as soon as it is durable (or written, with <see cref="Durability.Written"/>). Backpressured: a
    /// slow consumer holds no records in memory and never slows the log's writers. The stream fails with
    /// <see cref="LogTruncatedException"/> if retention drops records before it reads them, with
    /// <see cref="InvalidLsnException"/> if <paramref name="from"/> is not a record boundary, and with
    /// <see cref="WalFaultedException"/> once it has delivered every durable record of a log that faulted; it completes
    /// when the log shuts down.
    /// </summary>
    /// <remarks>Cancel it like any stream (a kill switch, or <c>RunAsAsyncEnumerable</c> with a token).</remarks>
    /// <param name="log">The log's actor.</param>
    /// <param name="from">A record boundary to start at (the head, a record's LSN, or a <see cref="WalRecord.Next"/>).</param>
    /// <param name="level">Follow the durable end (the default) or the written end.</param>
    /// <param name="readDispatcher">The dispatcher to read on; by default the log's own <see cref="WalOptions.ReadDispatcher"/>.</param>
    public static Source<WalRecord, NotUsed> Tail(IActorRef log, Lsn from, Durability level = Durability.Durable, string? readDispatcher = null) =>
        Source.FromGraph(new TailStage(log, from.Value, level, readDispatcher ?? LogHandle.Of(log)?.Options.ReadDispatcher ?? DefaultReadDispatcher))
            // At most eight chunks (each at most 256 records / 256 KiB) wait at the boundary: memory stays bounded.
            .Via(Flow.FromGraph(new UnchunkStage()).WithAttributes(Attributes.CreateInputBuffer(8, 8)));

    /// <summary>
    /// The records of the named consumer <paramref name="consumer"/>, as <see cref="Tail(IActorRef, Lsn, Durability, string?)"/>
    /// delivers them, from where the consumer's latest commit says it resumes (a consumer that never committed starts at
    /// <see cref="WalConsumerOptions.StartAt"/>, or the head). The position is looked up when the stream starts, once
    /// the log has recovered. The source does not commit: put <see cref="WalFlow.Commit"/> or <see cref="WalSink.Commit"/>
    /// after the stage that processes the records. Fails as the other tail does, and with <see cref="LogTruncatedException"/>
    /// when a lossy consumer's position was dropped by retention.
    /// </summary>
    /// <param name="log">The log's actor (local to this process).</param>
    /// <param name="consumer">The consumer's name (non-empty, at most 256 UTF-8 bytes).</param>
    /// <param name="options">Where a new consumer starts and which end to follow; the defaults when null.</param>
    /// <param name="readDispatcher">The dispatcher to read on; by default the log's own.</param>
    /// <exception cref="ArgumentException"><paramref name="consumer"/> is not a valid name.</exception>
    [SuppressMessage("ApiDesign", "RS0026", Justification = OverloadJustification.ConsumerTail)]
    public static Source<WalRecord, NotUsed> Tail(IActorRef log, string consumer, WalConsumerOptions? options = null, string? readDispatcher = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ConsumerCommitter.CheckName(consumer);
        var settings = options ?? new WalConsumerOptions();
        return Source.Setup((materializer, _) =>
            {
                var client = new WalClient(materializer.System, log);
                return Source.FromTask(ConsumerTail.StartOfAsync(client, new ConsumerCommitter(log), consumer, settings, CancellationToken.None))
                    .ConcatMany(start => Tail(log, start, settings.Level, readDispatcher));
            })
            .MapMaterializedValue(_ => NotUsed.Instance)
            .Named("wal-consumer-tail");
    }
}
