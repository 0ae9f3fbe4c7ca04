using Akka;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using WalActors.Format;
using WalActors.Persistence;

namespace WalActors.Projections;

/// <summary>
/// The stream behind a <see cref="WalProjection"/>: the query from the stored offsets, the handler, and the commits in
/// the order <see cref="ProjectionMode"/> says. Events are taken in groups (up to CommitEvery, or what CommitInterval
/// gathers); one group is handled and committed at a time, so a commit never covers an event whose handling has not
/// finished (or, at most once, begun). A partitioned instance commits each slice of a group under that slice's consumer.
/// </summary>
internal sealed class ProjectionStream
{
    private readonly WalReadJournal _readJournal;
    private readonly ProjectionJournal _journal;
    private readonly ProjectionSlices _slices;
    private readonly ProjectionQuery _query;
    private readonly IWalProjectionHandler _handler;
    private readonly WalProjectionOptions _options;
    private readonly CancellationToken _aborted;
    private long _commits;
    private long _handled;

    public ProjectionStream(
        WalReadJournal readJournal, ProjectionJournal journal, ProjectionSlices slices, ProjectionQuery query, IWalProjectionHandler handler, WalProjectionOptions options, CancellationToken aborted)
    {
        _readJournal = readJournal;
        _journal = journal;
        _slices = slices;
        _query = query;
        _handler = handler;
        _options = options;
        _aborted = aborted;
    }

    /// <summary>Commit frames this instance has written.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Handler calls that returned.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>The events to handle: the query from the lowest stored offset, without those already committed.</summary>
    public Source<EventEnvelope, NotUsed> Events() =>
        Source.FromTask(QueryFromOffsetsAsync()).ConcatMany(events => events);

    /// <summary>Handles and commits groups of events, in the options' mode; emits how many events each group held.</summary>
    public Flow<EventEnvelope, int, NotUsed> HandleAndCommit() =>
        Flow.Create<EventEnvelope>()
            .GroupedWithin(_options.CommitEvery, _options.CommitInterval)
            .SelectAsync(1, async group =>
            {
                var events = group.ToList();
                await ProcessAsync(events).ConfigureAwait(false);
                return events.Count;
            });

    /// <summary>How many events of the query lie after the committed offsets, up to what the journal has indexed.</summary>
    public async Task<long> LagAsync(CancellationToken cancellationToken)
    {
        var committed = await OffsetsAsync(cancellationToken).ConfigureAwait(false);
        var index = _journal.Store.Index;
        if (!_slices.IsPartitioned)
        {
            return index.CountEvents(_query.Tag, _query.PersistenceId, committed.Values.Single(), index.IndexedEnd);
        }

        return index.CountEvents(_query.Tag, committed.Values.Min(), index.IndexedEnd, id => _slices.ConsumerOf(id) is { } c ? committed[c] : long.MaxValue);
    }

    private async Task ProcessAsync(List<EventEnvelope> events)
    {
        // Each part is one consumer's events of the group, in order; its last event's offset is what that consumer commits.
        var parts = events.GroupBy(e => _slices.ConsumerOf(e.PersistenceId)!, StringComparer.Ordinal).ToList();
        switch (_options.Mode)
        {
            case ProjectionMode.AtMostOnce:
                foreach (var part in parts)
                {
                    await _journal.WriteAsync([], Commit(part.Key, part.Last()), _aborted).ConfigureAwait(false);
                }

                await HandleEachAsync(events).ConfigureAwait(false);
                break;
            case ProjectionMode.ExactlyOnce:
                foreach (var part in parts)
                {
                    var outputs = new List<ProjectedEvent>();
                    foreach (var envelope in part)
                    {
                        outputs.AddRange(await HandleAsync(envelope).ConfigureAwait(false));
                    }

                    await _journal.WriteAsync(outputs, Commit(part.Key, part.Last()), _aborted).ConfigureAwait(false);
                }

                break;
            default:
                await HandleEachAsync(events).ConfigureAwait(false);
                foreach (var part in parts)
                {
                    await _journal.WriteAsync([], Commit(part.Key, part.Last()), _aborted).ConfigureAwait(false);
                }

                break;
        }
    }

    // Outputs written as each handler call returns, apart from any offset.
    private async Task HandleEachAsync(List<EventEnvelope> events)
    {
        foreach (var envelope in events)
        {
            await _journal.WriteAsync(await HandleAsync(envelope).ConfigureAwait(false), null, _aborted).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope)
    {
        var outputs = await _handler.HandleAsync(envelope, _aborted).ConfigureAwait(false) ?? [];
        Interlocked.Increment(ref _handled);
        return outputs;
    }

    private ConsumerCommit Commit(string consumer, EventEnvelope last)
    {
        Interlocked.Increment(ref _commits);
        return new(consumer, OffsetOf(last), Lossy: false);
    }

    private static long OffsetOf(EventEnvelope envelope) => ((Sequence)envelope.Offset).Value;

    /// <summary>Every consumer's committed offset (0 for one that never committed).</summary>
    private async Task<Dictionary<string, long>> OffsetsAsync(CancellationToken cancellationToken)
    {
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var consumer in _slices.Consumers)
        {
            offsets[consumer] = await _journal.OffsetAsync(consumer, cancellationToken).ConfigureAwait(false) ?? 0;
        }

        return offsets;
    }

    // The offsets are read when the stream starts (once the journal's index is ready), not when it is built.
    private async Task<Source<EventEnvelope, NotUsed>> QueryFromOffsetsAsync()
    {
        var committed = await OffsetsAsync(_aborted).ConfigureAwait(false);
        var from = committed.Values.DefaultIfEmpty(0).Min();
        var events = Query(from);
        if (!_slices.IsPartitioned)
        {
            return events;
        }

        // One query from the slowest slice; each slice's events it has already committed are left out, as are other instances'.
        return events.Where(e => _slices.ConsumerOf(e.PersistenceId) is { } consumer && OffsetOf(e) > committed[consumer]);
    }

    private Source<EventEnvelope, NotUsed> Query(long offset)
    {
        if (_query.PersistenceId is { } persistenceId)
        {
            // By persistence id the query resumes by sequence number: the one after the last event below the offset.
            return _readJournal.EventsByPersistenceId(persistenceId, _journal.Store.Index.SequenceNrBelow(persistenceId, offset) + 1, long.MaxValue);
        }

        Offset start = offset > 0 ? Offset.Sequence(offset) : Offset.NoOffset();
        return _query.Tag is { } tag ? _readJournal.EventsByTag(tag, start) : _readJournal.AllEvents(start);
    }
}
