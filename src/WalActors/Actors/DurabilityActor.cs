using System.Diagnostics;
using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Tracks the contiguous written prefix, coalesces sync requests into barriers, and acknowledges appends straight
/// to their senders, never past what the rules allow.
/// </summary>
/// <remarks>
/// <para>The durability invariant: a <see cref="Durability.Durable"/> append is acknowledged only after its bytes and
/// every byte before it were written and a barrier issued after all those writes returned. Writers finish out of
/// order, so batches are held until they join the contiguous prefix (the watermark), and a barrier acknowledges only
/// up to the watermark captured before it began.</para>
/// <para>A <see cref="Durability.Written"/> append is acknowledged as soon as the watermark passes it.</para>
/// <para>After any failure nothing more is acknowledged: a failed barrier is never retried into a success, because the
/// kernel may already have dropped the pages it covered.</para>
/// </remarks>
internal sealed class DurabilityActor : ReceiveActor, IWithTimers
{
    private readonly WalOptions _options;
    private readonly WalMetrics _metrics;
    private readonly LogCapacity _capacity;
    private readonly WriteBatchPool _pool;
    private readonly InFlightBatches _inFlight;
    private readonly LogHandle _handle;
    private long _barrierSentAt;
    private readonly IActorRef _log;
    private readonly IActorRef _sequencer;
    private readonly IActorRef _syncer;
    private readonly WrittenPrefix _written;
    private readonly BarrierPolicy _barriers;
    private readonly List<WriteBatch> _joined = [];
    private readonly Queue<WriteBatch> _awaitingBarrier = new();
    private readonly List<IActorRef> _syncWaiters = [];
    private readonly List<IActorRef> _syncWaitersInFlight = [];
    private readonly Dictionary<IActorRef, Durability> _readers = [];
    private long _durableEnd;
    private bool _barrierInFlight;
    private bool _intervalTimerSet;
    private IActorRef? _drainWaiter;
    private bool _sealing;
    private bool _sealed;
    private WalException? _fault;

    public DurabilityActor(LogHandle handle, WriteBatchPool pool, InFlightBatches inFlight, IWalStore store, IActorRef log, IActorRef sequencer, long end)
    {
        _handle = handle;
        _options = handle.Options;
        _metrics = handle.Metrics;
        _capacity = handle.Capacity;
        _pool = pool;
        _inFlight = inFlight;
        _log = log;
        _sequencer = sequencer;
        _written = new WrittenPrefix(end);
        _barriers = new BarrierPolicy(_options.SyncMode, _options.SyncInterval, _options.MaxUnsyncedBytes, _options.Clock);
        _durableEnd = end;
        _syncer = Context.Watch(Context.ActorOf(SyncActor.Props(store, _metrics, _options.IoDispatcher), "sync"));

        Receive<WriteBatch>(OnWritten);
        Receive<WriteFailed>(failed =>
        {
            Fault(failed.Reason);
            FailBatch(failed.Batch);
        });
        Receive<BarrierCompleted>(OnBarrierCompleted);
        Receive<Sealed>(sealedAt =>
        {
            _sealed = true;

            // Closed before the end moves, so a status publisher that sees the new end also sees the close.
            _metrics.ClosedAt = sealedAt.End;
            _written.CloseAt(sealedAt.End);
            _durableEnd = sealedAt.End;
            _metrics.WrittenEnd = _metrics.DurableEnd = sealedAt.End;
            CheckDrained();
        });
        Receive<BarrierFailed>(failed =>
        {
            _barrierInFlight = false;
            Fault(failed.Reason);
        });
        Receive<Sync>(_ =>
        {
            if (_fault is not null)
            {
                Sender.Tell(new Status.Failure(_fault));
                return;
            }

            _syncWaiters.Add(Sender);
            MaybeStartBarrier();
        });
        Receive<Drain>(_ =>
        {
            _drainWaiter = Sender;
            if (_fault is null)
            {
                _syncWaiters.Add(ActorRefs.Nobody);
                MaybeStartBarrier();
            }

            CheckDrained();
        });
        Receive<SubscribeEnds>(subscribe =>
        {
            subscribe.Reader.Tell(new EndsAdvanced(_durableEnd, _written.End));
            if (_fault is not null)
            {
                // Nothing will ever advance: the reader delivers what is there, then ends with the fault.
                subscribe.Reader.Tell(new LogClosed(_fault));
                return;
            }

            _readers[subscribe.Reader] = subscribe.Level;
            Context.Watch(subscribe.Reader);
        });
        Receive<DetachReader>(detach =>
        {
            _readers.Remove(detach.Reader);
            Context.Unwatch(detach.Reader);
        });
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_syncer))
            {
                // The barrier it was issuing will never be answered; nothing it covered may be acknowledged.
                _barrierInFlight = false;
                Fault(new WalIOException("issuing a durability barrier", null, new InvalidOperationException("The log's sync actor stopped unexpectedly.")));
                return;
            }

            _readers.Remove(terminated.ActorRef);
        });
        Receive<Abandon>(abandon =>
        {
            Fault(abandon.Reason, tellLog: false);
            Context.Stop(Self);
        });
        Receive<IntervalElapsed>(_ =>
        {
            _intervalTimerSet = false;
            MaybeStartBarrier();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LogHandle handle, WriteBatchPool pool, InFlightBatches inFlight, IWalStore store, IActorRef log, IActorRef sequencer, long end) =>
        Akka.Actor.Props.Create(() => new DurabilityActor(handle, pool, inFlight, store, log, sequencer, end));

    // A crashed sync actor must not come back: the barrier it was issuing would never be answered.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void OnWritten(WriteBatch batch)
    {
        if (_fault is not null)
        {
            FailBatch(batch);
            return;
        }

        _written.Add(batch, _joined);
        foreach (var next in _joined)
        {
            _metrics.AddWrite();
            AcknowledgeWritten(next);
        }

        _joined.Clear();
        _metrics.WrittenEnd = _written.End;
        NotifyReaders(Durability.Written);
        MaybeStartBarrier();
    }

    /// <summary>The batch has joined the contiguous prefix: answer what needs no barrier, hold the rest for one.</summary>
    private void AcknowledgeWritten(WriteBatch batch)
    {
        var barrierless = _options.SyncMode == SyncMode.None;
        long records = 0;
        long bytes = 0;
        long answered = 0;
        long answeredBytes = 0;
        lock (_inFlight.Gate)
        {
            _inFlight.WrittenEnd = batch.End;
            if (_inFlight.IsClosed)
            {
                // The facade has failed everything in flight: nothing here may be acknowledged after that.
                _pool.Return(batch);
                return;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                ref var entry = ref batch[i];
                if (barrierless || entry.Durability == Durability.Written)
                {
                    var (r, b) = AppendReplies.Acknowledge(entry, _log, _handle.Consumers);
                    records += r;
                    bytes += b;
                    answered++;
                    answeredBytes += entry.FrameBytes;
                }
            }

            if (!batch.WaitsForBarrier || barrierless)
            {
                _inFlight.Untrack(batch);
            }
        }

        _capacity.Release(answered, answeredBytes);
        _metrics.AddAcknowledged(records, bytes);
        if (batch.WaitsForBarrier && !barrierless)
        {
            _awaitingBarrier.Enqueue(batch);
        }
        else
        {
            _pool.Return(batch);
        }
    }

    private void MaybeStartBarrier()
    {
        var decision = _barriers.Next(_barrierInFlight, _fault is not null, _awaitingBarrier.Count > 0, _syncWaiters.Count, _written.End, _durableEnd);
        switch (decision.Step)
        {
            case BarrierStep.None:
                return;
            case BarrierStep.WaitForInterval:
                if (!_intervalTimerSet)
                {
                    _intervalTimerSet = true;
                    Timers.StartSingleTimer(IntervalElapsed.Instance, IntervalElapsed.Instance, decision.Delay);
                }

                return;
            case BarrierStep.AnswerWaiters:
                // Nothing new was written since the last barrier: those waiting are already covered.
                AnswerSyncWaiters(_syncWaiters);
                CheckDrained();
                return;
            case BarrierStep.StartAtFirstUnansweredDurable:
                StartBarrier(FirstUnansweredDurableEnd(), 0);
                return;
            default:
                StartBarrier(decision.Target, decision.LingerTarget);
                return;
        }
    }

    private void StartBarrier(long target, long lingerTarget)
    {
        _barrierInFlight = true;
        _barriers.Started();
        _syncWaitersInFlight.AddRange(_syncWaiters);
        _syncWaiters.Clear();
        _barrierSentAt = Stopwatch.GetTimestamp();
        _syncer.Tell(new BarrierRequest(target, lingerTarget));
    }

    private void OnBarrierCompleted(BarrierCompleted completed)
    {
        _barrierInFlight = false;
        if (_fault is not null)
        {
            return;
        }

        var before = _durableEnd;
        Debug.Assert(completed.Target <= _written.End, "a barrier covered bytes not written yet");
        _durableEnd = Math.Max(_durableEnd, completed.Target);
        _metrics.DurableEnd = _durableEnd;
        _metrics.AddBarrier();
        var answered = AcknowledgeDurable(_durableEnd);
        _barriers.Completed(completed.Target, before, answered);
        _handle.Instruments?.BarrierDone(Stopwatch.GetElapsedTime(_barrierSentAt), answered);
        AnswerSyncWaiters(_syncWaitersInFlight);
        // The sequencer first: the facade dispatches into the room this makes only after hearing of it, so the sequencer
        // has always seen the durable end the facade counted on and never holds a batch back.
        _sequencer.Tell(new DurableAdvanced(_durableEnd));
        _log.Tell(new DurableAdvanced(_durableEnd));
        NotifyReaders(Durability.Durable);
        CheckDrained();
        MaybeStartBarrier();
    }

    protected override void PostStop()
    {
        // Stopped without a drain (the log stopped abruptly, faulted or gave up): whatever is still held was never
        // acknowledged, and no one waiting on it may wait forever.
        Fault(_fault ?? new WalStoppedException(), tellLog: false);
    }

    /// <summary>Pushes the new ends to tailing readers: those following written data hear of every write, all hear of every barrier.</summary>
    private void NotifyReaders(Durability advanced)
    {
        if (_readers.Count == 0)
        {
            return;
        }

        var ends = new EndsAdvanced(_durableEnd, _written.End);
        foreach (var (reader, level) in _readers)
        {
            if (advanced == Durability.Durable || level == Durability.Written)
            {
                reader.Tell(ends);
            }
        }
    }

    /// <summary>Answers every durable append up to <paramref name="durableEnd"/>; returns how many appends that answered.</summary>
    private long AcknowledgeDurable(long durableEnd)
    {
        long records = 0;
        long bytes = 0;
        long answered = 0;
        long answeredBytes = 0;
        lock (_inFlight.Gate)
        {
            while (_awaitingBarrier.Count > 0)
            {
                var batch = _awaitingBarrier.Peek();
                if (!_inFlight.IsClosed)
                {
                    while (batch.Answered < batch.Count && batch[batch.Answered].End <= durableEnd)
                    {
                        ref var entry = ref batch[batch.Answered];
                        if (entry.Durability == Durability.Durable)
                        {
                            var (r, b) = AppendReplies.Acknowledge(entry, _log, _handle.Consumers);
                            records += r;
                            bytes += b;
                            answered++;
                            answeredBytes += entry.FrameBytes;
                        }

                        batch.Answered++;
                    }

                    if (batch.Answered < batch.Count)
                    {
                        break;
                    }

                    _inFlight.Untrack(batch);
                }

                _awaitingBarrier.Dequeue();
                _pool.Return(batch);
            }
        }

        _capacity.Release(answered, answeredBytes);
        _metrics.AddAcknowledged(records, bytes);
        return records;
    }

    private long FirstUnansweredDurableEnd()
    {
        foreach (var batch in _awaitingBarrier)
        {
            for (var i = batch.Answered; i < batch.Count; i++)
            {
                if (batch[i].Durability == Durability.Durable)
                {
                    return batch[i].End;
                }
            }
        }

        return _written.End;
    }

    private void AnswerSyncWaiters(List<IActorRef> waiters)
    {
        foreach (var waiter in waiters.Where(w => !w.IsNobody()))
        {
            waiter.Tell(new Synced(new Lsn(_durableEnd)), _log);
        }

        waiters.Clear();
    }

    private void CheckDrained()
    {
        if (_drainWaiter is null)
        {
            return;
        }

        var settled = _fault is not null
            || (_written.HeldCount == 0 && _awaitingBarrier.Count == 0 && !_barrierInFlight && _syncWaiters.Count == 0 && _durableEnd >= _written.End);
        if (!settled)
        {
            return;
        }

        if (_fault is null && !_sealed)
        {
            if (!_sealing)
            {
                _sealing = true;
                _syncer.Tell(new SealRequest(_written.End));
            }

            return;
        }

        _drainWaiter.Tell(Drained.Instance);
        _drainWaiter = null;
    }

    /// <summary>
    /// Enters the faulted state: everything not yet acknowledged fails, and nothing is acknowledged again. Sync waiters
    /// and tailing readers hear the reason. A write or barrier failure also tells the facade and the sequencer
    /// (<paramref name="tellLog"/>); a fault the facade imposed (<see cref="Abandon"/>) or a stop does not.
    /// </summary>
    private void Fault(WalException cause, bool tellLog = true)
    {
        if (_fault is not null && tellLog)
        {
            return;
        }

        _fault ??= tellLog ? cause as WalFaultedException ?? new WalFaultedException(cause) : cause;
        foreach (var batch in _written.TakeHeld())
        {
            FailBatch(batch);
        }
        while (_awaitingBarrier.TryDequeue(out var batch))
        {
            FailBatch(batch);
        }

        foreach (var waiter in _syncWaiters.Concat(_syncWaitersInFlight).Where(w => !w.IsNobody()))
        {
            waiter.Tell(new Status.Failure(_fault), _log);
        }

        _syncWaiters.Clear();
        _syncWaitersInFlight.Clear();
        foreach (var reader in _readers.Keys)
        {
            reader.Tell(new LogClosed(_fault));
            Context.Unwatch(reader);
        }

        _readers.Clear();
        if (tellLog)
        {
            _log.Tell(new LogFaulted(_fault));
            _sequencer.Tell(new LogFaulted(_fault));
        }

        CheckDrained();
    }

    /// <summary>Fails every entry of the batch not yet answered (a Written entry may have been acknowledged already).</summary>
    private void FailBatch(WriteBatch batch)
    {
        var fault = _fault ?? throw new InvalidOperationException("Failing a batch outside the faulted state.");
        var failed = 0;
        lock (_inFlight.Gate)
        {
            // A closed ledger means the facade has already failed this batch's entries.
            if (!_inFlight.IsClosed)
            {
                failed = AppendReplies.FailUnanswered(batch, _written.End, _options.SyncMode == SyncMode.None, fault, _capacity, _log);
                _inFlight.Untrack(batch);
            }
        }

        _metrics.AddFailed(failed);
        _pool.Return(batch);
    }

    private sealed class IntervalElapsed
    {
        public static readonly IntervalElapsed Instance = new();
    }
}
