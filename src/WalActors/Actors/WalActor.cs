using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// The log's face: validates requests, holds them until recovery is done, groups them into batches for idle writers,
/// keeps the in-flight window, and owns the store and the pipeline's lifecycle (ready, faulted, stopping, stopped).
/// </summary>
/// <remarks>
/// <para>Every request that reaches the facade is answered exactly once, whatever stops the log: see
/// <c>WalActor.Lifecycle.cs</c>, <see cref="InFlightBatches"/> and <see cref="LogMessageQueue"/>.</para>
/// <para>The window (no byte reserved beyond durable end + max-unsynced-bytes) is kept here, against the durable end the
/// durability actor reports, which it reports to the sequencer first. So the sequencer, which checks the same window,
/// never has to hold a batch back, and a batch is never stranded in it when the log stops.</para>
/// </remarks>
internal sealed partial class WalActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private const string MaxRecordSizeKey = WalOptions.ConfigPath + ".max-record-size";
    private const string MaxBatchSizeKey = WalOptions.ConfigPath + ".max-batch-size";

    private readonly WalOptions _options;
    private readonly Func<IWalStore> _openStore;
    private readonly string _path;
    private readonly LogHandle _handle;
    private readonly WalMetrics _metrics;
    private readonly LogCapacity _capacity;
    private readonly WriteBatchPool _pool = new();
    private readonly InFlightBatches _inFlight = new();
    private readonly Queue<PendingAppend> _pending = new();
    private readonly Stack<IActorRef> _idleWriters = new();
    private readonly List<IActorRef> _writers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _shutdownWaiters = [];
    private IWalStore? _store;
    private IActorRef? _recovery;
    private IActorRef? _sequencer;
    private IActorRef? _durability;
    private IActorRef? _reader;
    private IActorRef? _retention;
    private IActorRef? _recoveryPoint; // unwatched: it never fails the log; a clean close waits for it once
    private IActorRef? _abandoned; // the durability actor told to Abandon the pipeline: it stops itself
    private RecoveryReport? _report;
    private int _readLimit;
    private WalException? _fault;
    private WalState _state = WalState.Recovering;
    private bool _drainSent;
    private long _reservedEnd;
    private long _durableSeen;

    public WalActor(LogHandle handle, Func<IWalStore> openStore, string path)
    {
        _handle = handle;
        _options = handle.Options;
        _metrics = handle.Metrics;
        _capacity = handle.Capacity;
        _openStore = openStore;
        _path = path;
        Recovering();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The facade's props, on the log mailbox that admits appends against <paramref name="handle"/>'s capacity.</summary>
    public static Props Props(LogHandle handle, Func<IWalStore> openStore, string path) =>
        Akka.Actor.Props.Create(() => new WalActor(handle, openStore, path)).WithMailbox(LogMailbox.ConfigPath);

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart() =>
        _recovery = Context.Watch(Context.ActorOf(RecoveryActor.Props(_openStore, _options, _path, _options.IoDispatcher), "recovery"));

    private void Recovering()
    {
        Receive<RecoveryCompleted>(_ => Sender.Equals(_recovery), OnRecovered);
        Receive<RecoveryFailed>(_ => Sender.Equals(_recovery), failed =>
        {
            _log.Error(failed.Reason, "WalActors: recovery of {0} failed", _path);
            EnterFaulted(failed.Reason);
            Stash.UnstashAll();
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_recovery), _ =>
        {
            // Recovery stopped without a word (it was killed): the log will never be ready.
            EnterFaulted(new WalIOException("recovering the log", _path, new InvalidOperationException("The log's recovery actor stopped unexpectedly.")));
            Stash.UnstashAll();
        });
        ReceiveStale();
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Ready()
    {
        Receive<Append>(OnAppend);
        Receive<AppendBatch>(OnAppendBatch);
        Receive<WriterIdle>(_ => _writers.Contains(Sender), _ =>
        {
            _idleWriters.Push(Sender);
            Dispatch();
        });
        Receive<DurableAdvanced>(_ => Sender.Equals(_durability), advanced =>
        {
            _durableSeen = Math.Max(_durableSeen, advanced.End);
            Dispatch();
        });
        Receive<Sync>(sync => _durability!.Forward(sync));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        Receive<AwaitReady>(_ => Sender.Tell(new WalReady(Self, _report!)));
        Receive<LogFaulted>(_ => Sender.Equals(_durability), faulted => EnterFaulted(faulted.Reason));
        Receive<Shutdown>(_ => BeginShutdown());
        ReceiveReads();
        Receive<Terminated>(OnChildTerminated);
        ReceiveStale();
    }

    /// <summary>Reads, retention and tailing readers: served whenever the store is open.</summary>
    private void ReceiveReads()
    {
        Receive<Read>(_ => _store is null || _reader is null, _ => Sender.Tell(new Status.Failure(_fault ?? new WalStoppedException())));
        Receive<TruncateBefore>(_ => _store is null || _retention is null, _ => Sender.Tell(new Status.Failure(_fault ?? new WalStoppedException())));
        Receive<AttachReader>(_ => _store is null, _ => Sender.Tell(new LogClosed(_fault ?? new WalStoppedException())));
        Receive<Read>(read =>
        {
            // A Read checks its own arguments when it is built.
            var end = read.Level == Durability.Durable ? _metrics.DurableEnd : _metrics.WrittenEnd;
            _reader!.Tell(new ReadRequest(read, end, Sender));
        });
        Receive<TruncateBefore>(truncate => _retention!.Tell(new TruncateRequest(truncate.Lsn.Value, Sender)));
        Receive<CompactSegments>(_ => _store is null || _retention is null, _ => Sender.Tell(new Status.Failure(_fault ?? new WalStoppedException())));
        Receive<CompactSegments>(compact => _retention!.Tell(new CompactRequest(compact, Sender)));
        Receive<AttachReader>(OnAttachReader);
        Receive<LendStore>(_ => _store is null, _ => Sender.Tell(new Status.Failure(_fault ?? new WalStoppedException())));
        Receive<LendStore>(_ => Sender.Tell(new ReaderAttached(_store!, _readLimit)));
        Receive<DetachReader>(detach => _durability?.Tell(detach));
    }

    private void OnAttachReader(AttachReader attach)
    {
        if (!Enum.IsDefined(attach.Level))
        {
            Sender.Tell(new Status.Failure(new InvalidAppendException($"A tail needs a defined Durability level; got {(int)attach.Level}.")));
            return;
        }

        Sender.Tell(new ReaderAttached(_store!, _readLimit));
        if (_fault is not null || _durability is null)
        {
            // Nothing will ever advance: the reader delivers what is there, then ends with the reason.
            Sender.Tell(new EndsAdvanced(_metrics.DurableEnd, _metrics.WrittenEnd));
            Sender.Tell(new LogClosed(_fault ?? new WalStoppedException()));
            return;
        }

        _durability.Tell(new SubscribeEnds(Sender, attach.Level));
    }

    /// <summary>Messages from children of an earlier incarnation (before a restart) or of a pipeline already given up on.</summary>
    private void ReceiveStale()
    {
        Receive<RecoveryCompleted>(completed =>
        {
            // Never adopted: close it, or its lock would outlive the log.
            completed.Store.Dispose();
        });
        Receive<RecoveryFailed>(_ => { });
        Receive<RecoveryPointSealed>(_ => { });
        Receive<WriterIdle>(_ => { });
        Receive<DurableAdvanced>(_ => { });
        Receive<LogFaulted>(_ => { });
        Receive<Drained>(_ => { });
    }

    private void OnRecovered(RecoveryCompleted completed)
    {
        Context.Unwatch(_recovery!); // it stops itself now
        _store = completed.Store;
        _report = completed.Report;
        _readLimit = LogOpener.ReadLimit(_store, _options.MaxRecordSize);
        _handle.Instruments = new WalInstruments(_handle, _path);
        _metrics.WrittenEnd = _report.End;
        _metrics.DurableEnd = _report.End;
        _reservedEnd = _report.End;
        _durableSeen = _report.End;
        _handle.Consumers.Load(completed.Prefix.Consumers);
        _log.Info("WalActors: recovered {0}: {1}", _path, _report);

        _sequencer = Context.Watch(Context.ActorOf(SequencerActor.Props(_report.End, _options.MaxUnsyncedBytes), "sequencer"));
        _durability = Context.Watch(Context.ActorOf(
            DurabilityActor.Props(_handle, _pool, _inFlight, _store, Self, _sequencer, _report.End), "durability"));
        // Reads are positioned and independent: a pool serves them in parallel, each reader on a thread of its own.
        var readers = ReaderActor.Props(_store, _readLimit, Self, _options.IoDispatcher);
        _reader = Context.Watch(Context.ActorOf(_options.Readers == 1 ? readers : readers.WithRouter(new Akka.Routing.RoundRobinPool(_options.Readers)), "reader"));
        // Read before the retention actor exists: a compaction it runs must move the epoch past the one the prefix is from.
        var recoveryPointEpoch = (_store as IRecoveryPointStore)?.RecoveryPointEpoch ?? 0;
        _retention = Context.Watch(Context.ActorOf(RetentionActor.Props(_store, _metrics, _options, _readLimit, _handle.Consumers, Self), "retention"));
        if (_store is SegmentedStore { IsReadOnly: false } segmented)
        {
            // Called on the preallocating thread: a logging adapter of the system's, not this actor's context.
            var warnings = Akka.Event.Logging.GetLogger(Context.System, _path);
            segmented.PreallocationFailed = e => warnings.Warning(
                "WalActors: creating a segment ahead of the writes failed ({0}); the write that reaches it creates it itself", e.Message);
            Context.Watch(Context.ActorOf(LiveStatusActor.Props(segmented.Directory, _metrics, _options.ReadDispatcher), "live-status"));
        }

        if (_store is IRecoveryPointStore and not SegmentedStore { IsReadOnly: true })
        {
            var interval = _options.SyncMode == SyncMode.None ? TimeSpan.Zero : _options.RecoveryPointInterval;
            _recoveryPoint = Context.ActorOf(RecoveryPointActor.Props(
                _store, completed.Prefix, _report.ScanStart, recoveryPointEpoch, _metrics, _readLimit, _path, interval, _options.IoDispatcher), "recovery-point");
        }

        for (var i = 0; i < _options.Writers; i++)
        {
            var writer = Context.Watch(Context.ActorOf(
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
        if (!Enum.IsDefined(append.Durability))
        {
            Reject(append, Sender, new InvalidAppendException($"An Append needs a defined Durability; got {(int)append.Durability}."));
            return;
        }

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

        if (!Enum.IsDefined(batch.Durability))
        {
            Reject(batch, Sender, new InvalidAppendException($"An AppendBatch needs a defined Durability; got {(int)batch.Durability}."));
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

    /// <summary>
    /// Hands waiting appends to idle writers, as many per writer as fit one write, by way of the sequencer's reservation,
    /// never further than the window past the durable end.
    /// </summary>
    private void Dispatch()
    {
        while (_pending.Count > 0 && _idleWriters.Count > 0)
        {
            var room = _durableSeen + _options.MaxUnsyncedBytes - _reservedEnd;
            if (_pending.Peek().FrameBytes > room)
            {
                return; // the next DurableAdvanced makes room: half a window unsynced always starts a barrier
            }

            var limit = Math.Min(_options.WriterBatchSize, room);
            var batch = _pool.Rent();
            while (_pending.Count > 0 && (batch.Count == 0 || batch.Bytes + _pending.Peek().FrameBytes <= limit))
            {
                batch.Add(_pending.Dequeue());
            }

            _inFlight.Track(batch);
            _reservedEnd += batch.Bytes;
            _sequencer!.Tell(new Reserve(batch, _idleWriters.Pop()));
        }
    }

    private void Reject(object request, IActorRef replyTo, WalException reason)
    {
        _metrics.AddFailed(1);
        _capacity.Release(1, LogCapacity.Weigh(request));
        AppendReplies.Fail(request, replyTo, reason, Self);
    }

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
