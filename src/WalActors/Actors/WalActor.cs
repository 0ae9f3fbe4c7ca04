using Akka;
using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Reading;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// The log's face: validates requests, holds them until recovery is done, groups them into batches for idle writers,
/// and owns the store and the pipeline's lifecycle (ready, faulted, stopping, stopped).
/// </summary>
internal sealed class WalActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private const string MaxRecordSizeKey = WalOptions.ConfigPath + ".max-record-size";
    private const string MaxBatchSizeKey = WalOptions.ConfigPath + ".max-batch-size";

    private readonly WalOptions _options;
    private readonly Func<IWalStore> _openStore;
    private readonly string _path;
    private readonly WalMetrics _metrics = new();
    private readonly WriteBatchPool _pool = new();
    private readonly Queue<PendingAppend> _pending = new();
    private readonly Stack<IActorRef> _idleWriters = new();
    private readonly List<IActorRef> _writers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IWalStore? _store;
    private IActorRef? _sequencer;
    private IActorRef? _durability;
    private IActorRef? _reader;
    private IActorRef? _retention;
    private RecoveryReport? _report;
    private int _readLimit;
    private WalException? _fault;
    private WalState _state = WalState.Recovering;
    private bool _drainSent;
    private readonly List<IActorRef> _shutdownWaiters = [];

    public WalActor(WalOptions options, Func<IWalStore> openStore, string path)
    {
        _options = options;
        _openStore = openStore;
        _path = path;
        Recovering();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(WalOptions options, Func<IWalStore> openStore, string path) =>
        Akka.Actor.Props.Create(() => new WalActor(options, openStore, path));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart() =>
        Context.ActorOf(RecoveryActor.Props(_openStore, _options, _path, _options.IoDispatcher), "recovery");

    protected override void PostStop()
    {
        // Stopped without a graceful shutdown (the system is going down): release the lock, acknowledge nothing more,
        // and answer what is still waiting so no caller hangs.
        FailPending(_fault ?? new WalStoppedException());
        _store?.Dispose();
        _store = null;
    }

    private void Recovering()
    {
        Receive<RecoveryCompleted>(OnRecovered);
        Receive<RecoveryFailed>(failed =>
        {
            _log.Error(failed.Reason, "WalActors: recovery of {0} failed", _path);
            EnterFaulted(failed.Reason);
            Stash.UnstashAll();
        });
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Ready()
    {
        Receive<Append>(OnAppend);
        Receive<AppendBatch>(OnAppendBatch);
        Receive<WriterIdle>(_ =>
        {
            _idleWriters.Push(Sender);
            Dispatch();
        });
        Receive<Sync>(sync => _durability!.Forward(sync));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        Receive<AwaitReady>(_ => Sender.Tell(new WalReady(Self, _report!)));
        Receive<LogFaulted>(faulted => EnterFaulted(faulted.Reason));
        Receive<Shutdown>(_ => BeginShutdown());
        ReceiveReads();
        Receive<Terminated>(OnChildTerminated);
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
        Receive<Terminated>(_ => { });
        Receive<WriterIdle>(_ => { });
        Receive<LogFaulted>(_ => { });
        Receive<Drained>(_ => { });
    }

    private void Stopping()
    {
        Receive<Append>(append => Reject(append, Sender, new WalStoppedException()));
        Receive<AppendBatch>(batch => Reject(batch, Sender, new WalStoppedException()));
        Receive<Sync>(sync => _durability!.Forward(sync));
        Receive<AwaitReady>(_ => Sender.Tell(new Status.Failure(new WalStoppedException())));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        Receive<Shutdown>(_ => _shutdownWaiters.Add(Sender));
        Receive<WriterIdle>(_ =>
        {
            _idleWriters.Push(Sender);
            Dispatch();
            DrainWhenSettled();
        });
        Receive<LogFaulted>(faulted =>
        {
            _fault = faulted.Reason;
            FailPending(faulted.Reason);
            DrainWhenSettled();
        });
        Receive<Drained>(_ => FinishShutdown());
        Receive<ShutdownTimedOut>(_ =>
        {
            _log.Warning("WalActors: shutdown of {0} timed out after {1}; in-flight appends fail", _path, _options.ShutdownTimeout);
            var reason = new WalStoppedException();
            FailPending(reason);
            FinishShutdown();
        });
        ReceiveReads();
        Receive<Terminated>(OnChildTerminated);
    }

    private void Stopped()
    {
        Receive<Append>(append => Reject(append, Sender, new WalStoppedException()));
        Receive<AppendBatch>(batch => Reject(batch, Sender, new WalStoppedException()));
        Receive<Sync>(_ => Sender.Tell(new Status.Failure(new WalStoppedException())));
        Receive<AwaitReady>(_ => Sender.Tell(new Status.Failure(new WalStoppedException())));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        Receive<Shutdown>(_ => Sender.Tell(Done.Instance));
        Receive<Read>(_ => Sender.Tell(new ReadFailed(new WalStoppedException())));
        Receive<TruncateBefore>(_ => Sender.Tell(new ReadFailed(new WalStoppedException())));
        Receive<AttachReader>(_ => Sender.Tell(new LogClosed(new WalStoppedException())));
        ReceiveAny(_ => { });
    }

    /// <summary>Reads, retention and tailing readers: served whenever the store is open, faulted or not.</summary>
    private void ReceiveReads()
    {
        Receive<Read>(read => _store is null, _ => Sender.Tell(new ReadFailed(_fault ?? new WalStoppedException())));
        Receive<TruncateBefore>(_ => _store is null, _ => Sender.Tell(new ReadFailed(_fault ?? new WalStoppedException())));
        Receive<AttachReader>(_ => _store is null, _ => Sender.Tell(new LogClosed(_fault ?? new WalStoppedException())));
        Receive<Read>(read =>
        {
            if (read.MaxRecords <= 0)
            {
                Sender.Tell(new ReadFailed(new InvalidAppendException("A Read needs a positive MaxRecords.")));
                return;
            }

            var end = read.Level == Durability.Durable ? _metrics.DurableEnd : _metrics.WrittenEnd;
            _reader!.Tell(new ReadRequest(read, end, Sender));
        });
        Receive<TruncateBefore>(truncate => _retention!.Tell(new TruncateRequest(truncate.Lsn.Value, Sender)));
        Receive<AttachReader>(attach =>
        {
            Sender.Tell(new ReaderAttached(_store!, _readLimit));
            _durability!.Tell(new SubscribeEnds(Sender, attach.Level));
        });
        Receive<DetachReader>(detach => _durability!.Tell(detach));
    }

    private void OnRecovered(RecoveryCompleted completed)
    {
        _store = completed.Store;
        _report = completed.Report;
        _readLimit = LogOpener.ReadLimit(_store, _options.MaxRecordSize);
        _metrics.WrittenEnd = _report.End;
        _metrics.DurableEnd = _report.End;
        _log.Info("WalActors: recovered {0}: {1}", _path, _report);

        _sequencer = Watch(Context.ActorOf(SequencerActor.Props(_report.End, _options.MaxUnsyncedBytes), "sequencer"));
        _durability = Watch(Context.ActorOf(
            DurabilityActor.Props(_options, _metrics, _pool, _store, Self, _sequencer, _report.End), "durability"));
        _reader = Watch(Context.ActorOf(ReaderActor.Props(_store, _readLimit, Self, _options.IoDispatcher), "reader"));
        _retention = Watch(Context.ActorOf(RetentionActor.Props(_store, _metrics, _options, Self), "retention"));
        if (_store is SegmentedStore { IsReadOnly: false } segmented)
        {
            Watch(Context.ActorOf(LiveStatusActor.Props(segmented.Directory, _metrics, _options.ReadDispatcher), "live-status"));
        }

        for (var i = 0; i < _options.Writers; i++)
        {
            var writer = Watch(Context.ActorOf(
                WriterActor.Props(_store, _durability, _options.IoDispatcher), $"writer-{i + 1}"));
            _writers.Add(writer);
            _idleWriters.Push(writer);
        }

        _state = WalState.Ready;
        Become(Ready);
        Stash.UnstashAll();
    }

    private void OnAppend(Append append)
    {
        if (append.Payload.Length > _options.MaxRecordSize)
        {
            Reject(append, Sender, new RecordTooLargeException(append.Payload.Length, _options.MaxRecordSize, MaxRecordSizeKey));
            return;
        }

        _pending.Enqueue(new PendingAppend(append, Sender, FrameCodec.FrameSize(append.Payload.Length)));
        Dispatch();
    }

    private void OnAppendBatch(AppendBatch batch)
    {
        if (batch.Payloads is null || batch.Payloads.Count == 0)
        {
            Reject(batch, Sender, new InvalidAppendException("An AppendBatch needs at least one payload."));
            return;
        }

        long framed = 0;
        foreach (var payload in batch.Payloads)
        {
            if (payload.Length > _options.MaxRecordSize)
            {
                Reject(batch, Sender, new RecordTooLargeException(payload.Length, _options.MaxRecordSize, MaxRecordSizeKey));
                return;
            }

            framed += FrameCodec.FrameSize(payload.Length);
        }

        if (framed > _options.MaxBatchSize)
        {
            Reject(batch, Sender, new RecordTooLargeException(framed, _options.MaxBatchSize, MaxBatchSizeKey));
            return;
        }

        _pending.Enqueue(new PendingAppend(batch, Sender, (int)framed));
        Dispatch();
    }

    /// <summary>Hands waiting appends to idle writers, as many per writer as fit one write, by way of the sequencer's reservation.</summary>
    private void Dispatch()
    {
        while (_pending.Count > 0 && _idleWriters.Count > 0)
        {
            var batch = _pool.Rent();
            while (_pending.Count > 0 && (batch.Count == 0 || batch.Bytes + _pending.Peek().FrameBytes <= _options.WriterBatchSize))
            {
                batch.Add(_pending.Dequeue());
            }

            _sequencer!.Tell(new Reserve(batch, _idleWriters.Pop()));
        }
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

    private void FinishShutdown()
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

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

    private void EnterFaulted(WalException reason)
    {
        _fault = reason as WalFaultedException ?? new WalFaultedException(reason);
        _state = WalState.Faulted;
        FailPending(_fault);
        Become(Faulted);
        if (_report is not null)
        {
            // Recovery publishes its own failure; this is a write or barrier failure.
            _log.Error(reason, "WalActors: {0} faulted; no further appends are acknowledged", _path);
            Context.System.EventStream.Publish(new WalFaulted(Self, _fault));
        }
    }

    private void FailPending(WalException reason)
    {
        var failed = 0;
        while (_pending.TryDequeue(out var entry))
        {
            AppendReplies.Fail(entry, reason, Self);
            failed++;
        }

        _metrics.AddFailed(failed);
    }

    private void OnChildTerminated(Terminated terminated)
    {
        EnterFaulted(new WalIOException("running the pipeline", _path,
            new InvalidOperationException($"The log's actor {terminated.ActorRef.Path.Name} stopped unexpectedly.")));
    }

    private void Reject(object request, IActorRef replyTo, WalException reason)
    {
        _metrics.AddFailed(1);
        AppendReplies.Fail(request, replyTo, reason, Self);
    }

    private IActorRef Watch(IActorRef child) => Context.Watch(child);

    private WalStatus Status() => new(
        _state,
        new Lsn(SafeHead()),
        new Lsn(_metrics.WrittenEnd),
        new Lsn(_metrics.DurableEnd),
        _metrics.Snapshot(),
        _report,
        _fault);

    private long SafeHead()
    {
        try
        {
            return _store?.Head ?? _report?.Head ?? 0;
        }
        catch (ObjectDisposedException)
        {
            return _report?.Head ?? 0;
        }
    }
}
