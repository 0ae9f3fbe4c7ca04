using Akka.Actor;

namespace WalActors.Cluster.Replication;

/// <summary>
/// The one writer of a ledger at one epoch. Each append becomes the next entries and goes, as one
/// <see cref="ReplicateBatch"/>, to every aligned copy (its own local copy is one of them); it is acknowledged once W
/// copies report it durable. Each copy's durable end is contiguous, so the quorum end is the W-th highest of them.
/// A copy that is not known to agree with this writer's log (one recovery did not fence, one that fell behind) is
/// fenced to learn its end and epochs, then caught up from where it parts from this log, read from the local copy.
/// Every append is answered: acknowledged, <see cref="LedgerFencedException"/> once any copy reports a higher epoch,
/// or <see cref="LedgerQuorumException"/> when W copies did not hold it within the timeout.
/// </summary>
internal sealed class LedgerWriter : ReceiveActor, IWithTimers
{
    private const int CatchUpPage = 256;

    // Live batches in flight (sent, not yet under the quorum end); appends meanwhile wait in the outbox and go as one
    // batch, so that under load a copy gets few large batches rather than one message per append.
    private const int LiveWindow = 4;

    // A live batch's payload bytes at most (at least one entry): it must fit Akka.Remote's default 128,000-byte frame.
    private const int LiveBatchBytes = 64 * 1024;

    private readonly ReplicatedLedgerOptions _options;
    private readonly ReplicaCopy[] _copies;
    private readonly List<EpochStart> _history;
    private readonly Queue<PendingWrite> _pending = new();
    private readonly List<LedgerEntry> _outbox = [];
    private readonly Queue<long> _liveEnds = new();
    private long _outboxFirst;
    private long _next;
    private long _quorumEnd;
    private long? _fencedBy;

    public LedgerWriter(ReplicatedLedgerOptions options, RecoveredLedger recovered, TaskCompletionSource<long> sealedAt)
    {
        _options = options;
        _copies = [new ReplicaCopy(options.Local) { Aligned = true, DurableEnd = recovered.End }, .. options.Followers.Select(f => new ReplicaCopy(f))];
        _history = [.. recovered.History];
        _next = recovered.End;
        _quorumEnd = 0;

        // The seal: the recovered end counts as the ledger's only once W copies hold it (BookKeeper writes recovered
        // entries back to a quorum before it closes a ledger), so nothing read after opening can vanish in a later recovery.
        _pending.Enqueue(new PendingWrite(recovered.End, recovered.End, sealedAt, Deadline()));
        foreach (var (index, fenced) in recovered.FencedFollowers)
        {
            StartCatchUp(index, fenced);
        }

        Receive<LedgerAppend>(OnAppend);
        Receive<Replicated>(r => OnReplicated(IndexOf(Sender), r));
        Receive<Behind>(b => OnBehind(IndexOf(Sender), b));
        Receive<Fenced>(f => OnProbed(IndexOf(Sender), f));
        Receive<Refused>(r => OnRefused(r.HighestEpoch));
        Receive<CatchUpRead>(OnCatchUpRead);
        Receive<Tick>(_ => OnTick());
        Receive<Terminated>(OnTerminated);
        Receive<GetQuorumEnd>(_ => Sender.Tell(_quorumEnd));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The writer of a recovered ledger; <paramref name="sealedAt"/> completes with the recovered end once W copies hold it.</summary>
    public static Props Props(ReplicatedLedgerOptions options, RecoveredLedger recovered, TaskCompletionSource<long> sealedAt) =>
        Akka.Actor.Props.Create(() => new LedgerWriter(options, recovered, sealedAt));

    protected override void PreStart()
    {
        var every = TimeSpan.FromTicks(Math.Clamp(_options.Timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, every);
        foreach (var copy in _copies)
        {
            Context.Watch(copy.Replica);
        }

        Probe();
        AdvanceQuorum();
    }

    protected override void PostStop()
    {
        while (_pending.TryDequeue(out var write))
        {
            write.Completion.TrySetException(new WalStoppedException());
        }
    }

    private void OnAppend(LedgerAppend append)
    {
        if (_fencedBy is { } highest)
        {
            append.Completion.TrySetException(new LedgerFencedException(_options.Ledger, _options.Epoch, highest));
            return;
        }

        if (append.Payloads.Count == 0)
        {
            append.Completion.TrySetException(new InvalidAppendException("A ledger append needs at least one entry."));
            return;
        }

        var first = _next;
        _next += append.Payloads.Count;
        if (EpochHistory.LastEpoch(_history) != _options.Epoch)
        {
            _history.Add(new EpochStart(_options.Epoch, first));
        }

        if (_outbox.Count == 0)
        {
            _outboxFirst = first;
        }

        _outbox.AddRange(append.Payloads.Select(p => new LedgerEntry(_options.Epoch, p)));
        _pending.Enqueue(new PendingWrite(first, _next, append.Completion, Deadline()));
        SendLive();
    }

    /// <summary>Sends what waits in the outbox to every aligned copy, in batches, while fewer than <see cref="LiveWindow"/> are in flight.</summary>
    private void SendLive()
    {
        while (_outbox.Count > 0 && _liveEnds.Count < LiveWindow)
        {
            var (count, bytes) = (0, 0L);
            while (count < _outbox.Count && (count == 0 || bytes + _outbox[count].Payload.Length <= LiveBatchBytes))
            {
                bytes += _outbox[count++].Payload.Length;
            }

            var batch = new ReplicateBatch(_options.Ledger, _options.Epoch, _outboxFirst, _outbox.GetRange(0, count), _quorumEnd);
            foreach (var copy in _copies.Where(c => c.Aligned))
            {
                copy.Replica.Tell(batch, Self);
                copy.NoticedEnd = Math.Max(copy.NoticedEnd, _quorumEnd);
            }

            _outbox.RemoveRange(0, count);
            _outboxFirst += count;
            _liveEnds.Enqueue(_outboxFirst);
        }
    }

    private void OnReplicated(int index, Replicated replicated)
    {
        if (index < 0 || replicated.Epoch != _options.Epoch || !IsCurrent(index, Sender))
        {
            return;
        }

        var copy = _copies[index];
        copy.DurableEnd = copy.Aligned ? Math.Max(copy.DurableEnd, replicated.DurableEnd) : replicated.DurableEnd;
        copy.Aligned = true;
        copy.InFlightSince = null;
        if (copy.CatchingUp && !copy.WaitingForLocal)
        {
            ContinueCatchUp(index);
        }

        if (index == 0)
        {
            // The local copy grew: catch-ups that ran out of durable entries to send can go on.
            for (var i = 1; i < _copies.Length; i++)
            {
                if (_copies[i].WaitingForLocal)
                {
                    _copies[i].WaitingForLocal = false;
                    ContinueCatchUp(i);
                }
            }
        }

        AdvanceQuorum();
    }

    private void OnBehind(int index, Behind behind)
    {
        // A live batch skipped past the copy's end (a lost message, a restarted copy): catch it up from its end.
        if (index > 0 && behind.Epoch == _options.Epoch && IsCurrent(index, Sender) && _copies[index].Aligned && !_copies[index].CatchingUp)
        {
            _copies[index].DurableEnd = behind.DurableEnd;
            _copies[index].CatchingUp = true;
            _copies[index].InFlightSince = null;
            ContinueCatchUp(index);
        }
    }

    private void OnProbed(int index, Fenced fenced)
    {
        if (index > 0 && fenced.Epoch == _options.Epoch && !_copies[index].Aligned && !_copies[index].CatchingUp)
        {
            // The probe went by path: the answer names the incarnation to write to (and watch) from now on.
            _copies[index].Replica = Sender;
            Context.Watch(Sender);
            StartCatchUp(index, fenced);
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        // A copy that is gone counts for nothing until a new incarnation answers a probe and is caught up.
        var index = IndexOf(terminated.ActorRef);
        if (index >= 0 && _copies[index].Replica.Equals(terminated.ActorRef))
        {
            var copy = _copies[index];
            (copy.Aligned, copy.CatchingUp, copy.InFlightSince, copy.WaitingForLocal, copy.NoticedEnd) = (false, false, null, false, 0);
        }
    }

    private void StartCatchUp(int index, Fenced fenced)
    {
        // Send from where the copy parts from this writer's log; its first batch from this writer drops the rest.
        var copy = _copies[index];
        copy.Aligned = false;
        copy.CatchingUp = true;
        copy.DurableEnd = EpochHistory.Divergence(_history, _next, fenced.DurableEnd, EpochHistory.LastEpoch(fenced.History));
        ReadForCatchUp(index, copy.DurableEnd);
    }

    private void ContinueCatchUp(int index)
    {
        var copy = _copies[index];
        if (copy.DurableEnd >= _next)
        {
            copy.CatchingUp = false;
            return;
        }

        if (copy.InFlight)
        {
            return;
        }

        ReadForCatchUp(index, copy.DurableEnd);
    }

    private void ReadForCatchUp(int index, long from)
    {
        _copies[index].InFlightSince = Environment.TickCount64;
        _options.Local.Ask<RangeRead>(new ReadRange(_options.Ledger, from, CatchUpPage), _options.Timeout)
            .PipeTo(Self, success: read => new CatchUpRead(index, read), failure: _ => new CatchUpRead(index, null));
    }

    private void OnCatchUpRead(CatchUpRead read)
    {
        var copy = _copies[read.Index];
        copy.InFlightSince = null;
        if (!copy.CatchingUp)
        {
            // The copy terminated (or was given up on) while the read ran: what the read found is for nobody now.
            return;
        }

        if (read.Read is not { } range)
        {
            copy.CatchingUp = false;
            copy.Aligned = false;
            return;
        }

        if (range.Entries.Count == 0 && copy.Aligned)
        {
            // The local copy has nothing durable past the copy's end yet; go on when it has.
            copy.WaitingForLocal = copy.DurableEnd < _next;
            copy.CatchingUp = copy.WaitingForLocal;
            return;
        }

        // An unaligned copy gets its first batch even when empty: it is what aligns it (drops what it holds past From).
        copy.InFlightSince = Environment.TickCount64;
        copy.Replica.Tell(new ReplicateBatch(_options.Ledger, _options.Epoch, range.From, range.Entries, _quorumEnd), Self);
        copy.NoticedEnd = Math.Max(copy.NoticedEnd, _quorumEnd);
    }

    private void OnRefused(long highest)
    {
        if (highest <= _options.Epoch)
        {
            return;
        }

        _fencedBy = highest;
        while (_pending.TryDequeue(out var write))
        {
            write.Completion.TrySetException(new LedgerFencedException(_options.Ledger, _options.Epoch, highest));
        }
    }

    private void OnTick()
    {
        var now = Environment.TickCount64;
        while (_pending.TryPeek(out var write) && write.Deadline <= now)
        {
            _pending.Dequeue();
            var had = _copies.Count(c => c.Aligned && c.DurableEnd >= write.End);
            write.Completion.TrySetException(new LedgerQuorumException(_options.Ledger, _options.WriteQuorum, had, _options.Timeout));
        }

        for (var i = 1; i < _copies.Length; i++)
        {
            var copy = _copies[i];
            if (copy.InFlightSince is { } since && now - since > _options.Timeout.TotalMilliseconds)
            {
                // Its read or batch went unanswered: send again from what it reported (an unaligned copy is probed anew).
                copy.InFlightSince = null;
                copy.CatchingUp = copy.Aligned;
                if (copy.Aligned)
                {
                    ContinueCatchUp(i);
                }
            }
        }

        Probe();
        NoticeCommitted();
    }

    private void Probe()
    {
        if (_fencedBy is not null)
        {
            return;
        }

        // Copies this writer has not aligned: a fence at its own epoch is harmless and answers with their end and epochs.
        foreach (var copy in _copies.Where(c => !c.Aligned && !c.CatchingUp))
        {
            Context.ActorSelection(copy.Path).Tell(new Fence(_options.Ledger, _options.Epoch), Self);
        }
    }

    private void AdvanceQuorum()
    {
        var ends = _copies.Where(c => c.Aligned).Select(c => c.DurableEnd).OrderDescending().ToList();
        if (ends.Count >= _options.WriteQuorum)
        {
            _quorumEnd = Math.Max(_quorumEnd, ends[_options.WriteQuorum - 1]);
        }

        while (_liveEnds.TryPeek(out var end) && end <= _quorumEnd)
        {
            _liveEnds.Dequeue();
        }

        SendLive();

        while (_pending.TryPeek(out var write) && write.End <= _quorumEnd)
        {
            _pending.Dequeue();
            write.Completion.TrySetResult(write.First);
        }

        // Under load the next batch carries the quorum end; once no write is left it goes alone, so a reader of any copy
        // sees the last acknowledged entries without waiting for another write.
        if (_pending.Count == 0)
        {
            NoticeCommitted();
        }
    }

    /// <summary>Tells every aligned copy that has not heard it the quorum end (also from the tick, for a copy aligned since).</summary>
    private void NoticeCommitted()
    {
        foreach (var copy in _copies.Where(c => c.Aligned && !c.CatchingUp && c.NoticedEnd < _quorumEnd))
        {
            copy.Replica.Tell(new Commit(_options.Ledger, _options.Epoch, _quorumEnd), Self);
            copy.NoticedEnd = _quorumEnd;
        }
    }

    /// <summary>
    /// Whether <paramref name="sender"/> is the incarnation of copy <paramref name="index"/> this writer writes to. A copy
    /// given by path alone (no incarnation: uid 0) takes the first incarnation that answers, and is watched from then on.
    /// </summary>
    private bool IsCurrent(int index, IActorRef sender)
    {
        var copy = _copies[index];
        if (copy.Replica.Equals(sender))
        {
            return true;
        }

        if (copy.Replica.Path.Uid != 0)
        {
            return false;
        }

        copy.Replica = sender;
        Context.Watch(sender);
        return true;
    }

    /// <summary>The copy <paramref name="sender"/> is an incarnation of (by path: a restarted replica keeps its path).</summary>
    private int IndexOf(IActorRef sender) => Array.FindIndex(_copies, c => c.Path.Equals(sender.Path));

    /// <summary>When a write sent now times out, on the monotonic millisecond clock (wall-clock steps must not fail or hold writes).</summary>
    private long Deadline() => Environment.TickCount64 + (long)Math.Ceiling(_options.Timeout.TotalMilliseconds);

    private sealed record PendingWrite(long First, long End, TaskCompletionSource<long> Completion, long Deadline);

    private sealed record CatchUpRead(int Index, RangeRead? Read);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}
