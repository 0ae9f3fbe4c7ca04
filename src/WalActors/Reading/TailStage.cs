using System.Diagnostics.CodeAnalysis;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Reading;

/// <summary>
/// A source that reads the log from an LSN and then follows its end as barriers (or writes) complete.
/// </summary>
/// <remarks>
/// Pushed, not polled: the log sends the new end to the stage's actor after each barrier. Backpressured: the stage
/// reads only when downstream pulls and holds nothing but its read buffer and the latest end, so a slow consumer
/// neither grows memory nor slows writers. It never reads past the end it was told, so it never sees a record that
/// is not yet durable (or written, at that level), and it yields a batch's records only when the whole batch is there.
/// </remarks>
internal sealed class TailStage : GraphStage<SourceShape<IReadOnlyList<WalRecord>>>
{
    // Records cross to the consumer's dispatcher in chunks: one hand-over per chunk instead of per record.
    private const int MaxChunkRecords = 256;
    private const int MaxChunkBytes = 256 * 1024;

    private readonly Outlet<IReadOnlyList<WalRecord>> _out = new("wal.tail.out");
    private readonly IActorRef _log;
    private readonly long _from;
    private readonly Durability _level;
    private readonly string _dispatcher;

    public TailStage(IActorRef log, long from, Durability level, string dispatcher)
    {
        _log = log;
        _from = from;
        _level = level;
        _dispatcher = dispatcher;
    }

    public override SourceShape<IReadOnlyList<WalRecord>> Shape => new(_out);

    protected override Attributes InitialAttributes =>
        Attributes.CreateName("wal-tail").And(ActorAttributes.CreateDispatcher(_dispatcher));

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    [SuppressMessage("Design", "CA1001", Justification = "A stage's logic ends in PostStop, which disposes the reader; nothing would call Dispose.")]
    private sealed class Logic : OutGraphStageLogic
    {
        private readonly TailStage _stage;
        private StageActor? _self;
        private IWalStore? _store;
        private CompleteRecordReader? _reader;
        private long _position;
        private long _end;
        private WalException? _closed;

        public Logic(TailStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _position = stage._from;
            _end = stage._from;
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            _self = GetStageActor(OnMessage);
            _self.Watch(_stage._log);
            _stage._log.Tell(new AttachReader(_stage._level), _self.Ref);
        }

        public override void OnPull() => TryPush();

        public override void PostStop()
        {
            if (_self is not null)
            {
                _stage._log.Tell(new DetachReader(_self.Ref), ActorRefs.NoSender);
            }

            _reader?.Dispose();
        }

        private void OnMessage((IActorRef Sender, object Message) received)
        {
            switch (received.Message)
            {
                case ReaderAttached attached:
                    _store = attached.Store;
                    if (_position < _store.Head)
                    {
                        FailStage(new LogTruncatedException(_position, _store.Head));
                        return;
                    }

                    _reader = new CompleteRecordReader(_store, _position, _end, attached.MaxRecordSize);
                    TryPush();
                    break;
                case EndsAdvanced ends:
                    var end = _stage._level == Durability.Durable ? ends.DurableEnd : ends.WrittenEnd;
                    if (end > _end)
                    {
                        _end = end;
                        _reader?.SetEnd(end);
                        TryPush();
                    }

                    break;
                case LogClosed closed:
                    _closed = closed.Reason;
                    TryPush();
                    break;
                case Terminated:
                    _closed ??= new WalStoppedException();
                    TryPush();
                    break;
                case Status.Failure failure when failure.Cause is WalException refused:
                    FailStage(refused);
                    break;
            }
        }

        private void TryPush()
        {
            if (_reader is null && _closed is not null)
            {
                // The log was gone before this reader could attach: there is nothing it can read.
                FailStage(_closed);
                return;
            }

            if (!IsAvailable(_stage._out) || _reader is null)
            {
                return;
            }

            if (_position >= _end)
            {
                Close();
                return;
            }

            try
            {
                var chunk = new List<WalRecord>();
                var bytes = 0;
                while (chunk.Count < MaxChunkRecords && bytes < MaxChunkBytes && _position < _end)
                {
                    var status = _reader.Next(out var record);
                    if (status == ScanStatus.Record)
                    {
                        _position = record.End;
                        bytes += record.FrameSize;
                        chunk.Add(new WalRecord(new Lsn(record.Lsn), record.Payload.ToArray(), new Lsn(record.End)));
                        continue;
                    }

                    if (status == ScanStatus.End && _reader.Position >= _end)
                    {
                        // Only frames that are not records (commits, markers) were left: nothing to deliver, nothing wrong.
                        _position = _reader.Position;
                        break;
                    }

                    if (chunk.Count > 0)
                    {
                        break; // deliver what is good first; the problem is met again on the next pull
                    }

                    if (status == ScanStatus.Invalid)
                    {
                        FailStage(_position == _stage._from
                            ? new InvalidLsnException(_position, "no valid record starts there")
                            : new LogDamagedException("the log", _position, $"a durable record does not validate ({_reader.Fault})"));
                        return;
                    }

                    // The store ended before the end we were told: it was closed under us.
                    _closed ??= new WalStoppedException();
                    Close();
                    return;
                }

                if (chunk.Count > 0)
                {
                    Push(_stage._out, chunk);
                }
                else if (_position >= _end)
                {
                    Close();
                }
            }
            catch (WalException e)
            {
                FailStage(e);
            }
            catch (ObjectDisposedException)
            {
                FailStage(new WalStoppedException());
            }
        }

        // Everything readable has been delivered; if the log is gone, nothing more ever will be.
        private void Close()
        {
            switch (_closed)
            {
                case null:
                    return;
                case WalStoppedException:
                    CompleteStage();
                    break;
                default:
                    FailStage(_closed);
                    break;
            }
        }
    }
}
