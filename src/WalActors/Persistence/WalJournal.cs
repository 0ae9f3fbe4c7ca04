using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace WalActors.Persistence;

/// <summary>
/// An Akka.Persistence journal on a WalActors write-ahead log of its own. Switch to it with
/// <c>akka.persistence.journal.plugin = "walactors.persistence.journal"</c> (and that section's <c>class</c> and
/// <c>directory</c>), or with <c>WithWalPersistence</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each <c>AtomicWrite</c> is one atomic batch in the log, acknowledged only once durable; writes from all persistent
/// actors share the log's group-commit barriers. An event that cannot be serialized rejects its own
/// <c>AtomicWrite</c> (the actor's <c>OnPersistRejected</c>) and nothing of it is written; the other writes of the
/// call go on. A failed log fails the whole call (<c>OnPersistFailure</c>): whether the data is stored is then unknown.
/// </para>
/// <para>
/// <c>DeleteMessagesTo</c> appends a durable tombstone; deleted events are never replayed or queried again, and the
/// highest sequence number survives every delete. On start the journal rebuilds its index by scanning its log;
/// requests wait until it is ready.
/// </para>
/// <para>
/// Compaction rewrites closed segments without deleted events and superseded tombstones, by itself (the
/// <c>compaction</c> section) and when sent <see cref="CompactLog"/>; every surviving event keeps its LSN.
/// </para>
/// </remarks>
internal sealed class WalJournal : AsyncWriteJournal, IWithUnboundedStash
{
    private const int ReplayPageEvents = 4096;
    private bool _ready;

    private readonly JournalStore _store;
    private readonly EventSerializer _serializer;
    private readonly WritesInProgress _writesInProgress = new();

    /// <summary>Created by Akka.Persistence for the plugin id it is configured at; not meant to be called directly.</summary>
    public WalJournal()
    {
        // The Persistence extension names a plugin's actor after its configuration path.
        _store = JournalStores.Get(Context.System).For(Self.Path.Name);
        _serializer = new EventSerializer((ExtendedActorSystem)Context.System);
    }

    /// <summary>Set by Akka when the actor is created.</summary>
    public IStash Stash { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        base.PreStart();
        _ready = _store.Ready.IsCompleted;
        if (!_ready)
        {
            _store.Ready.ContinueWith(_ => JournalReady.Instance, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).PipeTo(Self);
        }
    }

    /// <summary>
    /// Until the index is ready every request waits in the stash, in order: Akka's circuit breaker times each call from
    /// its start, and a start-up longer than its call timeout (a long log rebuilding its index) would fail every
    /// recovery that asked meanwhile. Once ready (or failed: then the requests fail with the cause) they run in the
    /// order they came. Health checks do not wait.
    /// </summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        // A health check is answered at once: "degraded while recovering" is what it is for.
        if (_ready || message is CheckJournalHealth)
        {
            return base.AroundReceive(receive, message);
        }

        if (message is JournalReady)
        {
            _ready = true;
            Stash.UnstashAll();
            return true;
        }

        Stash.Stash();
        return true;
    }

    /// <inheritdoc />
    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        await WhenReady().ConfigureAwait(false);

        // A recovery storm (thousands of entities at once after a rebalance) replays a bounded number at a time, so the
        // reads of those replaying get the disk instead of all of them timing out together.
        await _store.ReplayPermits.WaitAsync().ConfigureAwait(false);
        try
        {
            // In pages: the index is locked only while a page of one id's positions is copied, never for all of them.
            var next = fromSequenceNr;
            var remaining = max;
            while (remaining > 0)
            {
                var events = _store.Index.EventsOf(persistenceId, next, toSequenceNr, Math.Min(remaining, ReplayPageEvents));
                if (events.Count == 0)
                {
                    break;
                }

                await foreach (var record in _store.ReadAsync(events).ConfigureAwait(false))
                {
                    recoveryCallback(_serializer.ToPersistent(_store.DecodeEvent(record)));
                }

                next = events[^1].SequenceNr + 1;
                remaining -= events.Count;
            }
        }
        finally
        {
            _store.ReplayPermits.Release();
        }
    }

    /// <summary>
    /// Healthy while the journal's log is ready; degraded while it recovers or its disk has less room than two segments;
    /// unhealthy once it is faulted or stopped (with the fault). The data names the log's positions and counters.
    /// </summary>
    public override Task<PersistenceHealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) =>
        LogHealth.CheckAsync(_store.Client, _store.Options, cancellationToken, _store.Compactor.Backlog);

    /// <inheritdoc />
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        // A restarted actor may ask while its previous incarnation's write is still in flight: answer after it.
        await _writesInProgress.AfterWritesOf(persistenceId).ConfigureAwait(false);
        await WhenReady().ConfigureAwait(false);
        return _store.Index.HighestSequenceNr(persistenceId);
    }

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        var results = new Exception?[writes.Count];
        var prepared = Prepare(writes, results);
        var call = new PendingCall(results);
        for (var i = 0; i < prepared.Length; i++)
        {
            if (prepared[i] is not { } write)
            {
                continue;
            }

            if (_store.Writer.TooLarge(write, out var framedBytes) is { } tooLarge)
            {
                // Larger than the log takes: rejected, nothing of it written.
                results[i] = tooLarge;
                continue;
            }

            call.Expect();
            _store.Writer.Enqueue(write, call, framedBytes);
        }

        call.Queued();
        _writesInProgress.Track(writes, call.Completion.Task);
        return call.Completion.Task;
    }

    /// <inheritdoc />
    protected override bool ReceivePluginInternal(object message)
    {
        switch (message)
        {
            case CompactLog:
                CompactWhenReady().PipeTo(Sender, failure: e => new Status.Failure(e));
                return true;
            default:
                return false;
        }
    }

    private async Task<LogCompacted> CompactWhenReady()
    {
        await WhenReady().ConfigureAwait(false);
        return await _store.Compactor.CompactNowAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        await _writesInProgress.AfterWritesOf(persistenceId).ConfigureAwait(false);
        await WhenReady().ConfigureAwait(false);
        var (highest, deletedTo) = _store.Index.DeletionState(persistenceId);
        // Beyond the highest (long.MaxValue included) means "everything so far"; events written later stay.
        var target = Math.Min(toSequenceNr, highest);
        if (target <= deletedTo)
        {
            return;
        }

        var tombstone = new JournalTombstone(persistenceId, target, highest);
        var record = JournalRecordCodec.EncodeTombstone(tombstone);
        var lsn = await _store.Client.AppendAsync(record, cancellationToken: cancellationToken).ConfigureAwait(false);
        _store.Index.AddTombstone(tombstone, lsn.Value, JournalStore.EndOf(lsn, record.Length));
    }

    // Serializes everything before anything is appended, so an AtomicWrite that cannot be serialized is rejected whole.
    private PreparedWrite?[] Prepare(IReadOnlyList<AtomicWrite> writes, Exception?[] results)
    {
        var timestamp = DateTime.UtcNow.Ticks;
        var prepared = new PreparedWrite?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var events = (IImmutableList<IPersistentRepresentation>)writes[i].Payload;
            var sequenceNrs = new long[events.Count];
            var tags = new IReadOnlyCollection<string>[events.Count];
            var records = new ReadOnlyMemory<byte>[events.Count];
            try
            {
                for (var e = 0; e < events.Count; e++)
                {
                    sequenceNrs[e] = events[e].SequenceNr;
                    records[e] = _serializer.Encode(events[e], timestamp, out tags[e]);
                }

                prepared[i] = new PreparedWrite(writes[i].PersistenceId, sequenceNrs, tags, records);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Any serializer failure is this write's alone: reject it, keep the others.
                results[i] = e;
            }
        }

        return prepared;
    }

    private Task WhenReady() => _store.Ready;
}
