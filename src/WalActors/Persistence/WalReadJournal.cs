using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using AkkaPersistence = Akka.Persistence.Persistence;

namespace WalActors.Persistence;

/// <summary>
/// The Akka.Persistence.Query read journal of a WalActors journal:
/// <c>PersistenceQuery.Get(system).ReadJournalFor&lt;WalReadJournal&gt;(WalReadJournal.Identifier)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Current queries deliver what the journal has acknowledged when the stream starts, then complete. Live queries
/// deliver the same and then every new event as soon as it is durable, pushed by the log (never polled), and never
/// complete (except events by persistence id, once it reaches its upper bound).
/// </para>
/// <para>
/// Every query delivers each event exactly once, in log order (by persistence id: in sequence-number order).
/// Deleted events are never delivered. An envelope's offset is a <see cref="Sequence"/>: the log position just past its
/// event. Offsets increase but are not dense; a query started from an envelope's offset resumes right after that
/// event. <see cref="NoOffset"/> starts at the beginning.
/// </para>
/// </remarks>
public sealed class WalReadJournal :
    IPersistenceIdsQuery,
    ICurrentPersistenceIdsQuery,
    IEventsByPersistenceIdQuery,
    ICurrentEventsByPersistenceIdQuery,
    IEventsByTagQuery,
    ICurrentEventsByTagQuery,
    IAllEventsQuery,
    ICurrentAllEventsQuery
{
    /// <summary>The HOCON path of the default read journal.</summary>
    public const string Identifier = WalPersistence.QueryPluginId;

    private readonly JournalStore _store;
    private readonly EnvelopeReader _reader;
    private readonly int _batchSize;

    internal WalReadJournal(ExtendedActorSystem system, Config config)
    {
        var writePlugin = config.GetString("write-plugin", WalPersistence.JournalPluginId);
        _batchSize = Math.Max(1, config.GetInt("batch-size", 1024));
        _store = JournalStores.Get(system).For(writePlugin);
        _reader = new EnvelopeReader(_store, system, AkkaPersistence.Instance.Apply(system).AdaptersFor(writePlugin));
    }

    /// <summary>The journal's log and index this read journal queries (for projections).</summary>
    internal JournalStore Store => _store;

    /// <summary>The read journal's HOCON defaults, which Akka.Persistence.Query loads before creating it.</summary>
    public static Config DefaultConfiguration() => WalPersistence.DefaultConfig();

    /// <inheritdoc />
    public Source<string, NotUsed> CurrentPersistenceIds() =>
        AtIndexedEnd(end => Source.From(_store.Index.PersistenceIds(end)));

    /// <inheritdoc />
    public Source<string, NotUsed> PersistenceIds() =>
        AtIndexedEnd(end =>
        {
            var known = _store.Index.PersistenceIds(end);
            var seen = new HashSet<string>(known, StringComparer.Ordinal);
            return Source.From(known).Concat(Tail(end)
                .Select(pair => pair.Event.PersistenceId)
                .Where(seen.Add));
        });

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        AtIndexedEnd(end => IndexedByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, end));

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr)
    {
        if (fromSequenceNr > toSequenceNr)
        {
            return Source.Empty<EventEnvelope>();
        }

        return AtIndexedEnd(end => IndexedByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, end)
                .Concat(Tail(end)
                    .Where(pair => pair.Event.PersistenceId == persistenceId && pair.Event.SequenceNr >= fromSequenceNr && pair.Event.SequenceNr <= toSequenceNr)
                    .SelectMany(pair => _reader.Envelopes(pair.Record, pair.Event))))
            .TakeWhile(envelope => envelope.SequenceNr < toSequenceNr, inclusive: true);
    }

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> CurrentEventsByTag(string tag, Offset offset)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var from = Start(offset);
        return AtIndexedEnd(end => Indexed(tag, from, end));
    }

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> EventsByTag(string tag, Offset offset)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var from = Start(offset);
        return AtIndexedEnd(end => Indexed(tag, from, end)
            .Concat(Tail(end)
                .Where(pair => pair.Record.Lsn.Value >= from && Array.IndexOf(pair.Event.Tags, tag) >= 0)
                .SelectMany(pair => _reader.Envelopes(pair.Record, pair.Event))));
    }

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> CurrentAllEvents(Offset offset)
    {
        var from = Start(offset);
        return AtIndexedEnd(end => Indexed(null, from, end));
    }

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> AllEvents(Offset offset)
    {
        var from = Start(offset);
        return AtIndexedEnd(end => Indexed(null, from, end)
            .Concat(Tail(end)
                .Where(pair => pair.Record.Lsn.Value >= from)
                .SelectMany(pair => _reader.Envelopes(pair.Record, pair.Event))));
    }

    // The first position a query from this offset delivers: Sequence offsets are exclusive, and an envelope's offset
    // is the position just past its event, so "at or after the offset" is exactly "after that event".
    private static long Start(Offset? offset) => offset switch
    {
        null or NoOffset => 0,
        Sequence sequence => Math.Max(0, sequence.Value),
        _ => throw new ArgumentException($"The WalActors read journal takes Sequence offsets or NoOffset, not {offset.GetType().Name}.", nameof(offset)),
    };

    // Builds the query when the stream runs, not when the Source is made: once the index is ready, at the indexed end
    // of that moment. Everything below that end comes from the index, everything from it on from the log's tail.
    private Source<T, NotUsed> AtIndexedEnd<T>(Func<long, Source<T, NotUsed>> build) =>
        Source.Single(NotUsed.Instance)
            .SelectAsync(1, async _ =>
            {
                await _store.Ready.ConfigureAwait(false);
                return _store.Index.IndexedEnd;
            })
            .ConcatMany(build);

    private Source<EventEnvelope, NotUsed> Indexed(string? tag, long from, long end) =>
        Source.From(() => _reader.ReadIndexed(last => _store.Index.EventsFrom(tag, last is { } l ? l.Lsn + 1 : from, end, _batchSize)));

    private Source<EventEnvelope, NotUsed> IndexedByPersistenceId(string persistenceId, long from, long to, long end) =>
        Source.From(() => _reader.ReadIndexed(last => _store.Index.EventsOf(persistenceId, last is { } l ? l.SequenceNr + 1 : from, to, _batchSize, end)));

    // The log from the indexed end on, pushed as records become durable; tombstones are left out.
    private Source<(WalRecord Record, JournalEvent Event), NotUsed> Tail(long end) =>
        WalSource.Tail(_store.Log, new Lsn(end), _store.ReadLevel, _store.Options.ReadDispatcher)
            .Select(record => (Record: record, Event: _reader.Decode(record)))
            .Where(pair => pair.Event is not null && !_store.Index.IsDeleted(pair.Event.PersistenceId, pair.Event.SequenceNr))
            .Select(pair => (pair.Record, pair.Event!));
}
