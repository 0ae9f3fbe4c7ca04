using Akka.Actor;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;

namespace WalActors.Persistence;

/// <summary>
/// Turns the journal's records into query envelopes: deserializes, applies the journal's read-side event adapters
/// (one stored event may become none or several), and gives each envelope the offset just past its record.
/// </summary>
internal sealed class EnvelopeReader
{
    private readonly JournalStore _store;
    private readonly EventSerializer _serializer;
    private readonly EventAdapters _adapters;

    public EnvelopeReader(JournalStore store, ExtendedActorSystem system, EventAdapters adapters)
    {
        _store = store;
        _serializer = new EventSerializer(system);
        _adapters = adapters;
    }

    /// <summary>The stored event of <paramref name="record"/>, or null for a tombstone.</summary>
    public JournalEvent? Decode(WalRecord record)
    {
        try
        {
            return JournalRecordCodec.KindOf(record.Payload.Span) == JournalRecordKind.Event ? _store.DecodeEvent(record) : null;
        }
        catch (InvalidDataException e)
        {
            throw new JournalFormatException(_store.PluginId, record.Lsn.Value, e.Message);
        }
    }

    /// <summary>The envelopes of one stored event; the offset is the position just past its record, where a resumed query starts.</summary>
    public IEnumerable<EventEnvelope> Envelopes(WalRecord record, JournalEvent stored)
    {
        var payload = _serializer.Deserialize(stored);
        var offset = Offset.Sequence(record.Next.Value);
        foreach (var adapted in _adapters.Get(payload.GetType()).FromJournal(payload, stored.EventManifest).Events)
        {
            yield return new EventEnvelope(offset, stored.PersistenceId, stored.SequenceNr, adapted, stored.Timestamp, stored.Tags);
        }
    }

    /// <summary>
    /// The envelopes of indexed events, page by page: <paramref name="page"/> returns the next events after the last
    /// one given (null at first) and an empty list when there are no more.
    /// </summary>
    public async IAsyncEnumerable<EventEnvelope> ReadIndexed(Func<IndexedEvent?, List<IndexedEvent>> page)
    {
        IndexedEvent? last = null;
        while (true)
        {
            var events = page(last);
            if (events.Count == 0)
            {
                yield break;
            }

            await foreach (var record in _store.ReadAsync(events).ConfigureAwait(false))
            {
                if (Decode(record) is { } stored)
                {
                    foreach (var envelope in Envelopes(record, stored))
                    {
                        yield return envelope;
                    }
                }
            }

            last = events[^1];
        }
    }
}
