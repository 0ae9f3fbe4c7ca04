using Akka;
using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;

namespace WalActors.Actors;

/// <summary>How the facade faults, stops, and answers everything it holds whichever way it ends.</summary>
/// <remarks>
/// <para>Where a request can be when the log ends, and who answers it:</para>
/// <list type="bullet">
/// <item>in the facade's mailbox, or sent after the facade terminated: <see cref="LogMessageQueue"/> and
/// <see cref="DeadLetterAnswerer"/>, with <see cref="LogHandle.StopReason"/>;</item>
/// <item>stashed during recovery or queued for a writer: the facade, from its stash and <c>_pending</c>;</item>
/// <item>in a batch anywhere in the pipeline (a mailbox, a writer, the durability actor): the durability actor while it
/// can, and the facade's <see cref="InFlightBatches"/> when the log gives up on the pipeline or stops;</item>
/// <item>a sync waiting for a barrier, a tailing reader: the durability actor, on a fault, an <see cref="Abandon"/>
/// or its own stop.</item>
/// </list>
/// </remarks>
internal sealed partial class WalActor
{
    protected override void PreRestart(Exception reason, object message)
    {
        // The facade itself failed: everything this incarnation holds fails with it (the default stops the children and
        // calls PostStop); the next incarnation recovers the log again.
        _fault ??= new WalFaultedException(new WalIOException("running the log's facade", _path, reason));
        if (StoppedReplies.TryAnswer(message, Sender, _fault, Self))
        {
            _capacity.Release(1, LogCapacity.Weigh(message));
        }

        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        // Stopped abruptly (Stop, PoisonPill, system termination), or after a graceful stop: nothing this actor holds may
        // wait. Its children have stopped (or, on a restart, are stopping) already: close the ledger so no batch they
        // dropped or still hold is left unanswered.
        var reason = _fault ?? new WalStoppedException();
        _handle.StopReason = reason;
        _handle.Instruments?.Dispose();
        _handle.Instruments = null;
        FailPending(reason);
        if (Stash is not null)
        {
            foreach (var envelope in Stash.ClearStash())
            {
                if (StoppedReplies.TryAnswer(envelope.Message, envelope.Sender, reason, Self))
                {
                    _capacity.Release(1, LogCapacity.Weigh(envelope.Message));
                }
            }
        }

        _metrics.AddFailed(_inFlight.Close(reason, _options.SyncMode == SyncMode.None, _capacity, Self));
        foreach (var waiter in _shutdownWaiters)
        {
            waiter.Tell(Done.Instance);
        }

        _shutdownWaiters.Clear();
        _store?.Dispose();
        _store = null;
    }

    private void Faulted()
    {
        Receive<Append>(append => Reject(append, Sender, _fault!));
        Receive<AppendBatch>(batch => Reject(batch, Sender, _fault!));
        Receive<Sync>(_ => Sender.Tell(new Status.Failure(_fault!)));
        Receive<AwaitReady>(_ => Sender.Tell(new Status.Failure(_fault!)));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        Receive<Shutdown>(_ =>
        {
            _shutdownWaiters.Add(Sender);
            FinishShutdown();
        });
        ReceiveReads();
        Receive<Terminated>(terminated =>
        {
            // Faulted by a write or barrier, the pipeline still drains through the durability actor; an actor of it that
            // dies now may take a batch with it, so the ledger must answer for it.
            Forget(terminated.ActorRef);
            if (_sequencer is not null || _writers.Count > 0 || _durability is not null)
            {
                GiveUpPipeline(_fault!);
            }
        });
        ReceiveStale();
    }

    private void Stopping()
    {
        Receive<Append>(append => Reject(append, Sender, new WalStoppedException()));
        Receive<AppendBatch>(batch => Reject(batch, Sender, new WalStoppedException()));
        Receive<Sync>(sync => _durability!.Forward(sync));
        Receive<AwaitReady>(_ => Sender.Tell(new Status.Failure(new WalStoppedException())));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        Receive<Shutdown>(_ => _shutdownWaiters.Add(Sender));
        Receive<WriterIdle>(_ => _writers.Contains(Sender), _ =>
        {
            _idleWriters.Push(Sender);
            Dispatch();
            DrainWhenSettled();
        });
        Receive<DurableAdvanced>(_ => Sender.Equals(_durability), advanced =>
        {
            _durableSeen = Math.Max(_durableSeen, advanced.End);
            Dispatch();
            DrainWhenSettled();
        });
        Receive<LogFaulted>(_ => Sender.Equals(_durability), faulted =>
        {
            _fault = faulted.Reason;
            FailPending(faulted.Reason);
            DrainWhenSettled();
        });
        Receive<Drained>(_ => Sender.Equals(_durability), _ => SealRecoveryPoint());
        Receive<RecoveryPointSealed>(_ => FinishShutdown());
        Receive<ShutdownTimedOut>(_ =>
        {
            _log.Warning("WalActors: shutdown of {0} timed out after {1}; in-flight appends fail", _path, _options.ShutdownTimeout);
            GiveUpPipeline(new WalStoppedException());
            FinishShutdown();
        });
        ReceiveReads();
        Receive<Terminated>(terminated =>
        {
            // A pipeline actor died while stopping: what it held will never be answered by it; stop now.
            Forget(terminated.ActorRef);
            _fault ??= ChildStopped(terminated.ActorRef);
            GiveUpPipeline(_fault);
            FinishShutdown();
        });
        ReceiveStale();
    }

    private void Stopped()
    {
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        ReceiveAny(message =>
        {
            if (StoppedReplies.TryAnswer(message, Sender, _fault ?? new WalStoppedException(), Self) && message is Append or AppendBatch)
            {
                _metrics.AddFailed(1);
                _capacity.Release(1, LogCapacity.Weigh(message));
            }
        });
    }

    private void BeginShutdown()
    {
        _shutdownWaiters.Add(Sender);
        _state = WalState.Stopped;
        Become(Stopping);
        Timers.StartSingleTimer(ShutdownTimedOut.Instance, ShutdownTimedOut.Instance, _options.ShutdownTimeout);
        Dispatch();
        DrainWhenSettled();
    }

    private void DrainWhenSettled()
    {
        if (!_drainSent && _pending.Count == 0 && _idleWriters.Count == _writers.Count)
        {
            _drainSent = true;
            _durability!.Tell(Drain.Instance);
        }
    }

    /// <summary>
    /// After a clean close, the recovery point moves to the close marker's end before the store is closed, so the next
    /// start scans nothing; the shutdown timeout still bounds the wait.
    /// </summary>
    private void SealRecoveryPoint()
    {
        if (_recoveryPoint is not null && _fault is null && _metrics.ClosedAt > 0)
        {
            _recoveryPoint.Tell(new SealRecoveryPoint(_metrics.ClosedAt));
            return;
        }

        FinishShutdown();
    }

    private void FinishShutdown()
    {
        foreach (var child in Context.GetChildren().Where(c => !c.Equals(_abandoned)))
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

        // Normally empty by now (drained); after a timeout or a crash already closed. Either way nothing is answered later.
        _metrics.AddFailed(_inFlight.Close(_fault ?? new WalStoppedException(), _options.SyncMode == SyncMode.None, _capacity, Self));
        _store?.Dispose();
        _store = null;
        _state = WalState.Stopped;
        Become(Stopped);
        foreach (var waiter in _shutdownWaiters)
        {
            waiter.Tell(Done.Instance);
        }

        _shutdownWaiters.Clear();
        _log.Info("WalActors: {0} shut down at durable LSN {1}", _path, _metrics.DurableEnd);
    }

    /// <summary>A write or barrier failed (the pipeline fails what it holds), or the pipeline is gone (<paramref name="pipelineLost"/>).</summary>
    private void EnterFaulted(WalException reason, bool pipelineLost = false)
    {
        _fault = reason as WalFaultedException ?? new WalFaultedException(reason);
        _state = WalState.Faulted;
        FailPending(_fault);
        if (pipelineLost)
        {
            GiveUpPipeline(_fault);
        }

        Become(Faulted);
        if (_report is not null)
        {
            // Recovery publishes its own failure; this is a write, barrier or pipeline failure.
            _log.Error(reason, "WalActors: {0} faulted; no further appends are acknowledged", _path);
            Context.System.EventStream.Publish(new WalFaulted(Self, _fault));
        }
    }

    /// <summary>
    /// Stops relying on the write pipeline: fails every entry it still holds (the ledger), tells the durability actor to
    /// answer sync waiters and tailing readers, and stops the sequencer, writers and durability actor. Reads go on.
    /// </summary>
    private void GiveUpPipeline(WalException reason)
    {
        FailPending(reason);
        _metrics.AddFailed(_inFlight.Close(reason, _options.SyncMode == SyncMode.None, _capacity, Self));
        if (_durability is not null)
        {
            // It answers its sync waiters and readers with the reason, then stops itself: a Stop from here would overtake
            // the message and leave them the plain stop reason instead.
            Context.Unwatch(_durability);
            _durability.Tell(new Abandon(reason));
            _abandoned = _durability;
        }

        foreach (var child in _writers.Append(_sequencer))
        {
            if (child is not null)
            {
                Context.Unwatch(child);
                Context.Stop(child);
            }
        }

        _writers.Clear();
        _idleWriters.Clear();
        _sequencer = null;
        _durability = null;
    }

    private void FailPending(WalException reason)
    {
        var failed = 0;
        long bytes = 0;
        while (_pending.TryDequeue(out var entry))
        {
            AppendReplies.Fail(entry, reason, Self);
            failed++;
            bytes += entry.FrameBytes;
        }

        _capacity.Release(failed, bytes);
        _metrics.AddFailed(failed);
    }

    private void OnChildTerminated(Terminated terminated)
    {
        Forget(terminated.ActorRef);
        EnterFaulted(ChildStopped(terminated.ActorRef), pipelineLost: true);
    }

    private WalIOException ChildStopped(IActorRef child) =>
        new("running the pipeline", _path, new InvalidOperationException($"The log's actor {child.Path.Name} stopped unexpectedly."));

    /// <summary>A child is gone: requests it would have served are answered by the facade from now on.</summary>
    private void Forget(IActorRef child)
    {
        if (child.Equals(_reader))
        {
            _reader = null;
        }
        else if (child.Equals(_retention))
        {
            _retention = null;
        }
        else if (child.Equals(_durability))
        {
            _durability = null;
        }
    }
}
