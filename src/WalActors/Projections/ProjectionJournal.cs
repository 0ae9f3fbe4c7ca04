using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using WalActors.Format;
using WalActors.Persistence;
using WalActors.Reading;

namespace WalActors.Projections;

/// <summary>
/// What a projection needs of the journal it reads: its stored offset, and its output events and offsets written to the
/// journal's log, alone or together in one atomic batch. Keeps the journal's index in step with what it writes.
/// </summary>
internal sealed class ProjectionJournal
{
    private readonly JournalStore _store;
    private readonly EventSerializer _serializer;
    private readonly ConsumerCommitter _committer;
    private readonly string _writerGuid = Guid.NewGuid().ToString();

    public ProjectionJournal(ExtendedActorSystem system, JournalStore store)
    {
        _store = store;
        _serializer = new EventSerializer(system);
        _committer = new ConsumerCommitter(store.Log);
    }

    public JournalStore Store => _store;

    /// <summary>Where the projection's consumer resumes (a <see cref="Akka.Persistence.Query.Sequence"/> offset), or null before its first commit.</summary>
    public async Task<long?> OffsetAsync(string consumer, CancellationToken cancellationToken)
    {
        await _store.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        return (await _store.Client.GetConsumerAsync(consumer, cancellationToken).ConfigureAwait(false))?.Next.Value;
    }

    /// <summary>
    /// Appends <paramref name="outputs"/> and, when given, <paramref name="commit"/> as one atomic batch, then indexes them;
    /// completes once durable. Each id's events get the next sequence numbers after the highest the journal knows.
    /// </summary>
    /// <exception cref="RecordTooLargeException">An event, or the batch, exceeds the log's limits (nothing was written).</exception>
    /// <exception cref="WalStoppedException">The journal's log has stopped.</exception>
    public async Task WriteAsync(IReadOnlyList<ProjectedEvent> outputs, ConsumerCommit? commit, CancellationToken cancellationToken)
    {
        await _store.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var writes = Prepare(outputs);
        var payloads = writes.SelectMany(w => w.Records).ToList();
        if (commit is null && payloads.Count == 0)
        {
            return;
        }

        var lsns = commit is { } c
            ? await _committer.CommitWithAsync(c, payloads, cancellationToken).ConfigureAwait(false)
            : await _store.Client.AppendBatchAsync(payloads, Durability.Durable, cancellationToken).ConfigureAwait(false);
        var offset = 0;
        foreach (var write in writes)
        {
            var count = write.Records.Length;
            _store.Index.AddWrite(write.PersistenceId, write.SequenceNrs, write.Tags, lsns, offset, JournalStore.EndOf(lsns[offset + count - 1], write.Records[^1].Length));
            offset += count;
        }

        if (commit is { } written)
        {
            // The commit frame is not an event, but the index's end must pass it or later writes would wait behind it.
            _store.Index.AddNonEvent(lsns[^1].Value, JournalStore.EndOf(lsns[^1], ConsumerCommitCodec.Encode(written).Length));
        }
    }

    private List<PreparedWrite> Prepare(IReadOnlyList<ProjectedEvent> outputs)
    {
        var timestamp = DateTime.UtcNow.Ticks;
        var writes = new List<PreparedWrite>();
        foreach (var group in outputs.GroupBy(o => o.PersistenceId, StringComparer.Ordinal))
        {
            var next = _store.Index.HighestSequenceNr(group.Key) + 1;
            var events = group.ToList();
            var sequenceNrs = new long[events.Count];
            var tags = new IReadOnlyCollection<string>[events.Count];
            var records = new ReadOnlyMemory<byte>[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                sequenceNrs[i] = next + i;
                var payload = events[i].Tags is { Count: > 0 } eventTags ? new Tagged(events[i].Event, eventTags) : events[i].Event;
                records[i] = _serializer.Encode(new Persistent(payload, sequenceNrs[i], group.Key, string.Empty, false, ActorRefs.NoSender, _writerGuid), timestamp, out tags[i]);
            }

            writes.Add(new PreparedWrite(group.Key, sequenceNrs, tags, records));
        }

        return writes;
    }
}
