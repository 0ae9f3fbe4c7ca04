using Akka;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using WalActors.Format;
using WalActors.Persistence;

namespace WalActors.Projections;

/// <summary>
/// The stream behind a <see cref="WalProjection"/>: the query from the stored offset, the handler, and the commits in
/// the order <see cref="ProjectionMode"/> says. One group of events is handled and committed at a time, so a commit
/// never covers an event whose handling has not finished (or, at most once, begun).
/// </summary>
internal sealed class ProjectionStream
{
    private readonly WalReadJournal _readJournal;
    private readonly ProjectionJournal _journal;
    private readonly ProjectionQuery _query;
    private readonly IWalProjectionHandler _handler;
    private readonly WalProjectionOptions _options;
    private readonly CancellationToken _aborted;

    public ProjectionStream(WalReadJournal readJournal, ProjectionJournal journal, string consumer, ProjectionQuery query, IWalProjectionHandler handler, WalProjectionOptions options, CancellationToken aborted)
    {
        _readJournal = readJournal;
        _journal = journal;
        Consumer = consumer;
        _query = query;
        _handler = handler;
        _options = options;
        _aborted = aborted;
    }

    /// <summary>The name its offsets are committed under in the journal's log.</summary>
    public string Consumer { get; }

    /// <summary>The events to handle, from the stored offset on; each element is how many events a commit covered.</summary>
    public Source<EventEnvelope, NotUsed> Events() =>
        Source.FromTask(QueryFromOffsetAsync()).ConcatMany(events => events);

    /// <summary>Handles and commits, in the options' mode; emits the number of events each commit covered.</summary>
    public Flow<EventEnvelope, int, NotUsed> HandleAndCommit() => _options.Mode switch
    {
        ProjectionMode.AtMostOnce => Flow.Create<EventEnvelope>()
            .GroupedWithin(_options.CommitEvery, _options.CommitInterval)
            .SelectAsync(1, async group =>
            {
                var events = group.ToList();
                await _journal.WriteAsync([], Commit(events[^1]), _aborted).ConfigureAwait(false);
                foreach (var envelope in events)
                {
                    await _journal.WriteAsync(await HandleAsync(envelope).ConfigureAwait(false), null, _aborted).ConfigureAwait(false);
                }

                return events.Count;
            }),
        ProjectionMode.ExactlyOnce => Flow.Create<EventEnvelope>()
            .GroupedWithin(_options.CommitEvery, _options.CommitInterval)
            .SelectAsync(1, async group =>
            {
                var events = group.ToList();
                var outputs = new List<ProjectedEvent>();
                foreach (var envelope in events)
                {
                    outputs.AddRange(await HandleAsync(envelope).ConfigureAwait(false));
                }

                await _journal.WriteAsync(outputs, Commit(events[^1]), _aborted).ConfigureAwait(false);
                return events.Count;
            }),
        _ => Flow.Create<EventEnvelope>()
            .SelectAsync(1, async envelope =>
            {
                await _journal.WriteAsync(await HandleAsync(envelope).ConfigureAwait(false), null, _aborted).ConfigureAwait(false);
                return envelope;
            })
            .GroupedWithin(_options.CommitEvery, _options.CommitInterval)
            .SelectAsync(1, async group =>
            {
                var events = group.ToList();
                await _journal.WriteAsync([], Commit(events[^1]), _aborted).ConfigureAwait(false);
                return events.Count;
            }),
    };

    /// <summary>How many events of the query lie after the committed offset, up to what the journal has indexed.</summary>
    public async Task<long> LagAsync(CancellationToken cancellationToken)
    {
        var from = await _journal.OffsetAsync(Consumer, cancellationToken).ConfigureAwait(false) ?? 0;
        var index = _journal.Store.Index;
        return index.CountEvents(_query.Tag, _query.PersistenceId, from, index.IndexedEnd);
    }

    private async Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope) =>
        await _handler.HandleAsync(envelope, _aborted).ConfigureAwait(false) ?? [];

    private ConsumerCommit Commit(EventEnvelope last) => new(Consumer, ((Sequence)last.Offset).Value, Lossy: false);

    // The offset is read when the stream starts (once the journal's index is ready), not when it is built.
    private async Task<Source<EventEnvelope, NotUsed>> QueryFromOffsetAsync() =>
        Query(await _journal.OffsetAsync(Consumer, _aborted).ConfigureAwait(false));

    private Source<EventEnvelope, NotUsed> Query(long? offset)
    {
        if (_query.PersistenceId is { } persistenceId)
        {
            // By persistence id the query resumes by sequence number: the one after the last event below the offset.
            var from = offset is { } o ? _journal.Store.Index.SequenceNrBelow(persistenceId, o) + 1 : 1;
            return _readJournal.EventsByPersistenceId(persistenceId, from, long.MaxValue);
        }

        Offset start = offset is { } position ? Offset.Sequence(position) : Offset.NoOffset();
        return _query.Tag is { } tag ? _readJournal.EventsByTag(tag, start) : _readJournal.AllEvents(start);
    }
}
