using Akka.Actor;
using Akka.Event;
using WalActors.Storage;

namespace WalActors.Cluster.Replication;

/// <summary>
/// One node's copy of one ledger: its <see cref="ReplicaRecord"/>s in a WalActors log, rebuilt into a
/// <see cref="ReplicaState"/> at start. On a cluster node the log is the node's one ledger-copy log, shared by every copy
/// it keeps (so their writes share barriers) and read once by the host, which hands each copy its state
/// (<see cref="OnNodeLog"/>); alone (<see cref="Props(string, WalOptions)"/>) the copy keeps a log of its own. It serves one
/// request at a time (others wait in its stash), so its durable end is always contiguous and every answer describes
/// durable state: <see cref="Replicated"/> and <see cref="Fenced"/> are sent only after the log acknowledged the
/// records as durable. It refuses every request below the highest epoch it has seen, and that epoch is in its log (a
/// fence record, or a writer's truncate) before a fence is answered.
/// </summary>
internal sealed class LedgerReplica : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    // How long a committed end learned from a notice waits for a batch to carry it to the log before it is written alone.
    private static readonly TimeSpan CommittedPersistDelay = TimeSpan.FromSeconds(1);

    // Reads of this copy's entries: runs of at most ReadRun records from each wanted LSN (another copy's record ends a
    // run), ReadParallel runs at a time.
    private const int ReadRun = 16;
    private const int ReadParallel = 4;

    // A read answers at most this many payload bytes (and at least one entry): its answer, or the catch-up batch made
    // from it, must fit Akka.Remote's default maximum frame (128,000 bytes), which drops a larger message.
    private const int ReadBytes = 64 * 1024;

    private readonly string _ledger;
    private readonly byte[] _key;
    private readonly WalOptions? _ownLog;
    private readonly Func<IWalStore>? _openStore;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReplicaState _state = new();
    private WalClient? _client;
    private BatchGroup? _group;

    public LedgerReplica(string ledger, WalOptions? ownLog, Func<IWalStore>? openStore, WalClient? nodeLog, ReplicaState? state)
    {
        _ledger = ledger;
        _key = ReplicaRecord.LedgerKey(ledger);
        _ownLog = ownLog;
        _openStore = openStore;
        _client = nodeLog;
        if (nodeLog is null)
        {
            Loading();
        }
        else
        {
            _state = state ?? new ReplicaState();
            Serving();
        }
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private WalClient Client => _client ?? throw new InvalidOperationException("The replica's log has not started.");

    /// <summary>A replica of <paramref name="ledger"/> with a log of its own in <paramref name="options"/>' directory.</summary>
    public static Props Props(string ledger, WalOptions options) => Akka.Actor.Props.Create(() => new LedgerReplica(ledger, options, null, null, null));

    /// <summary>A replica of <paramref name="ledger"/> with a log of its own in the store <paramref name="openStore"/> opens (a test's disk that can lose power).</summary>
    public static Props Props(string ledger, WalOptions options, Func<IWalStore> openStore) =>
        Akka.Actor.Props.Create(() => new LedgerReplica(ledger, options, openStore, null, null));

    /// <summary>
    /// A replica of <paramref name="ledger"/> on the node's ledger-copy log <paramref name="nodeLog"/>, owned by the caller,
    /// starting from <paramref name="state"/> (what <see cref="ReplicaLogLoader"/> rebuilt for it, or null for a new copy).
    /// </summary>
    public static Props OnNodeLog(string ledger, WalClient nodeLog, ReplicaState? state) =>
        Akka.Actor.Props.Create(() => new LedgerReplica(ledger, null, null, nodeLog, state));

    protected override void PreStart()
    {
        if (_ownLog is not { } options)
        {
            return;
        }

        // Its own log is the replica's child: it stops with the replica, which owns its lock.
        var log = _openStore is null
            ? WriteAheadLog.StartChild(Context, options, "log")
            : WriteAheadLog.StartChild(Context, options, _openStore, $"replica of {_ledger}", "log");
        _client = new WalClient(Context.System, log);
        LoadAsync(Client, _ledger, _key).PipeTo(Self, success: state => new Loaded(state), failure: e => new Failed(e));
    }

    private void Loading()
    {
        Receive<Loaded>(loaded =>
        {
            _state = loaded.State;
            Become(Serving);
            Stash.UnstashAll();
        });
        Receive<Failed>(Fail);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Serving()
    {
        Receive<ReplicateBatch>(OnReplicate);
        Receive<Fence>(OnFence);
        Receive<ReadRange>(OnRead);
        Receive<Commit>(OnCommit);
        Receive<PersistCommitted>(_ => OnPersistCommitted());
    }

    /// <summary>
    /// A batch's records are written, and the batches of the same writer already waiting in the mailbox join them in
    /// the same log append (one barrier for all), until the flush this state sent itself comes round. Anything else
    /// waits, and closes the group: what came after it must not be written before it is handled.
    /// </summary>
    private void Grouping()
    {
        Receive<ReplicateBatch>(batch => _group!.Takes(batch), Join);
        Receive<FlushGroup>(_ =>
        {
            var group = _group!;
            _group = null;
            Write(group.Records, group.Replies);
        });
        ReceiveAny(_ =>
        {
            _group!.Close();
            Stash.Stash();
        });
    }

    private void Busy()
    {
        Receive<Written>(written =>
        {
            for (var i = 0; i < written.Records.Count; i++)
            {
                _state.Apply(ReplicaRecord.Decode(written.Records[i]), written.Lsns[i]);
            }

            foreach (var (to, reply) in written.Replies)
            {
                to.Tell(reply(), Self);
            }

            Idle();
        });
        Receive<RangeDone>(done =>
        {
            done.ReplyTo.Tell(done.Result, Self);
            Idle();
        });
        Receive<Failed>(Fail);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Idle()
    {
        Become(Serving);
        Stash.UnstashAll();
    }

    private void OnReplicate(ReplicateBatch batch)
    {
        var view = _state.View;
        if (batch.Epoch < _state.Promised)
        {
            Sender.Tell(new Refused(_ledger, _state.Promised, $"batch of stale epoch {batch.Epoch}"));
            return;
        }

        if (batch.First > view.End)
        {
            Sender.Tell(new Behind(_ledger, batch.Epoch, view.End));
            return;
        }

        var records = new List<ReadOnlyMemory<byte>>(batch.Entries.Count + 1);
        long position;
        int skip;
        if (batch.Epoch > _state.WriterEpoch)
        {
            // A new writer's first batch: what this copy holds from First on is what no quorum held (the writer found
            // where the copies part); it goes in the same atomic batch that replaces it.
            records.Add(ReplicaRecord.Truncate(_key, batch.Epoch, batch.First));
            (position, skip) = (batch.First, 0);
        }
        else
        {
            // The same writer resending (catch-up racing its live batches): the overlap is already here.
            (position, skip) = (view.End, (int)Math.Min(batch.Entries.Count, view.End - batch.First));
        }

        for (var i = skip; i < batch.Entries.Count; i++)
        {
            records.Add(ReplicaRecord.Entry(_key, batch.Epoch, position++, batch.Entries[i]));
        }

        // After this batch the copy's view ends with this writer's entries and agrees with its log below them; a
        // committed end learned from a notice goes to the log with it too.
        var committed = Math.Max(_state.Committed, batch.WriterDurableEnd);
        if (committed > _state.PersistedCommitted)
        {
            records.Add(ReplicaRecord.Committed(_key, committed));
        }

        if (records.Count == 0)
        {
            Sender.Tell(new Replicated(_ledger, batch.Epoch, view.End));
            return;
        }

        _state.Promised = Math.Max(_state.Promised, batch.Epoch);
        _group = new BatchGroup(batch.Epoch, position, Math.Max(committed, _state.PersistedCommitted));
        _group.Add(records, Sender, new Replicated(_ledger, batch.Epoch, position));
        Become(Grouping);
        Self.Tell(FlushGroup.Instance);
    }

    /// <summary>A later batch of the group's writer that starts within what the group holds: the overlap is a resend.</summary>
    private void Join(ReplicateBatch batch)
    {
        var group = _group!;
        var records = new List<ReadOnlyMemory<byte>>(batch.Entries.Count + 1);
        var position = group.End;
        for (var i = (int)Math.Min(batch.Entries.Count, group.End - batch.First); i < batch.Entries.Count; i++)
        {
            records.Add(ReplicaRecord.Entry(_key, batch.Epoch, position++, batch.Entries[i]));
        }

        if (batch.WriterDurableEnd > group.Committed)
        {
            records.Add(ReplicaRecord.Committed(_key, batch.WriterDurableEnd));
        }

        group.Add(records, Sender, new Replicated(_ledger, batch.Epoch, position));
        group.End = position;
        group.Committed = Math.Max(group.Committed, batch.WriterDurableEnd);
    }

    private void OnFence(Fence fence)
    {
        if (fence.Epoch < _state.Promised)
        {
            Sender.Tell(new Refused(_ledger, _state.Promised, $"fence of stale epoch {fence.Epoch}"));
            return;
        }

        Func<object> reply = () => new Fenced(_ledger, fence.Epoch, _state.View.End, _state.View.HistorySnapshot());
        if (fence.Epoch == _state.Promised)
        {
            Sender.Tell(reply());
            return;
        }

        // Refuse lower epochs from now on, but answer only once the fence is durable: a restarted replica must refuse them too.
        _state.Promised = fence.Epoch;
        Write([ReplicaRecord.Fence(_key, fence.Epoch)], [(Sender, reply)]);
    }

    private void OnCommit(Commit commit)
    {
        // Only the writer whose batches this copy's view ends with vouches for its entries: an unaligned copy may hold
        // entries of an older writer that no quorum kept, at positions below that writer's quorum end.
        if (commit.Epoch != _state.WriterEpoch || commit.Epoch < _state.Promised || commit.CommittedEnd <= _state.Committed)
        {
            return;
        }

        // Not written now: a write per notice would cost a barrier per idle moment, and the next batch waits behind
        // it (one entity persisting in turn paid two barriers a persist). It goes with the next batch, or alone once idle.
        _state.Learn(commit.CommittedEnd);
        Timers.StartSingleTimer(nameof(PersistCommitted), PersistCommitted.Instance, CommittedPersistDelay);
    }

    private void OnPersistCommitted()
    {
        if (_state.Committed > _state.PersistedCommitted)
        {
            Write([ReplicaRecord.Committed(_key, _state.Committed)], []);
        }
    }

    private void OnRead(ReadRange read)
    {
        var view = _state.View;
        var readable = read.CommittedOnly ? _state.CommittedEnd : view.End;
        var to = Math.Min(readable, read.From + Math.Max(0, read.MaxEntries));
        var committedEnd = _state.CommittedEnd;
        if (read.From < 0 || read.From >= to)
        {
            Sender.Tell(new RangeRead(_ledger, read.From, [], view.End, committedEnd));
            return;
        }

        var lsns = new List<Lsn>((int)(to - read.From));
        for (var p = read.From; p < to; p++)
        {
            lsns.Add(view.LsnOf(p));
        }

        var replyTo = Sender;
        var end = view.End;
        Become(Busy);
        ReadEntriesAsync(Client, lsns).PipeTo(Self,
            success: entries => new RangeDone(replyTo, new RangeRead(_ledger, read.From, entries, end, committedEnd)),
            failure: e => new Failed(e));
    }

    /// <summary>Appends <paramref name="records"/> as one atomic log batch; once durable, applies them and sends <paramref name="replies"/>.</summary>
    private void Write(IReadOnlyList<ReadOnlyMemory<byte>> records, IReadOnlyList<(IActorRef To, Func<object> Reply)> replies)
    {
        Become(Busy);
        Client.AppendBatchAsync(records).PipeTo(Self,
            success: lsns => new Written(records, lsns, replies),
            failure: e => new Failed(e));
    }

    private void Fail(Failed failed)
    {
        // Fail-stop: a replica that cannot trust its log answers nothing more; writers time out or fence around it.
        _log.Error(failed.Cause, "Replica of ledger {0} stops: its log failed", _ledger);
        Context.Stop(Self);
    }

    private static async Task<ReplicaState> LoadAsync(WalClient client, string ledger, byte[] key) =>
        (await ReplicaLogLoader.LoadAsync(client, key).ConfigureAwait(false)).GetValueOrDefault(ledger) ?? new ReplicaState();

    /// <summary>
    /// Reads the entries at <paramref name="lsns"/> (increasing), up to <see cref="ReadBytes"/> of payload. In a node's
    /// log other copies' records lie between them, so each read is a run from a wanted LSN that ends at the first record
    /// that is not the next wanted one; runs go <see cref="ReadParallel"/> at a time.
    /// </summary>
    private static async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(WalClient client, List<Lsn> lsns)
    {
        var entries = new List<LedgerEntry>(lsns.Count);
        var bytes = 0L;
        for (var window = 0; window < lsns.Count; window += ReadRun * ReadParallel)
        {
            var runs = Enumerable.Range(0, ReadParallel)
                .Select(r => window + (r * ReadRun))
                .Where(start => start < lsns.Count)
                .Select(start => ReadRunAsync(client, lsns, start, Math.Min(ReadRun, lsns.Count - start)));
            foreach (var run in await Task.WhenAll(runs).ConfigureAwait(false))
            {
                foreach (var entry in run)
                {
                    if (entries.Count > 0 && bytes + entry.Payload.Length > ReadBytes)
                    {
                        return entries;
                    }

                    bytes += entry.Payload.Length;
                    entries.Add(entry);
                }
            }
        }

        return entries;
    }

    private static async Task<List<LedgerEntry>> ReadRunAsync(WalClient client, List<Lsn> lsns, int start, int count)
    {
        var entries = new List<LedgerEntry>(count);
        var next = start;
        while (next < start + count)
        {
            var page = await client.ReadAsync(lsns[next], start + count - next).ConfigureAwait(false);
            var before = next;
            foreach (var record in page.Records)
            {
                if (next == start + count || record.Lsn != lsns[next])
                {
                    break;
                }

                var decoded = ReplicaRecord.Decode(record.Payload);
                entries.Add(new LedgerEntry(decoded.EntryEpoch, decoded.Payload.ToArray()));
                next++;
            }

            if (next == before)
            {
                throw new InvalidDataException($"The replica's log holds no entry at {lsns[next]}.");
            }
        }

        return entries;
    }

    private sealed record Loaded(ReplicaState State);

    private sealed record Failed(Exception Cause);

    private sealed record Written(IReadOnlyList<ReadOnlyMemory<byte>> Records, IReadOnlyList<Lsn> Lsns, IReadOnlyList<(IActorRef To, Func<object> Reply)> Replies);

    private sealed record PersistCommitted
    {
        public static readonly PersistCommitted Instance = new();
    }

    private sealed record FlushGroup
    {
        public static readonly FlushGroup Instance = new();
    }

    private sealed record RangeDone(IActorRef ReplyTo, RangeRead Result);
}
