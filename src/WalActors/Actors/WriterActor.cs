using Akka.Actor;
using Akka.Event;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Frames a batch of appends and writes it with one positioned write at the range the sequencer reserved for it (the
/// sequencer forwards the batch here with its range).
/// Runs on the I/O dispatcher: the write blocks this actor's own thread, nobody else's.
/// </summary>
/// <remarks>
/// A full disk while a new segment is created is not a failed write: no byte of that segment exists yet, nothing was
/// acknowledged, and positioned writes are idempotent, so the writer holds the batch and writes it again, backing off up
/// to <see cref="MaxRetryDelay"/>, until retention (or an operator) frees space. Any other failure faults the log.
/// </remarks>
internal sealed class WriterActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly IWalStore _store;
    private readonly IActorRef _durability;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private byte[] _buffer = new byte[64 * 1024];
    private Reserved? _retrying;
    private TimeSpan _retryDelay = FirstRetryDelay;

    public WriterActor(IWalStore store, IActorRef durability)
    {
        _store = store;
        _durability = durability;

        Receive<Reserved>(reserved => Write(reserved.Batch, reserved.Offset, reserved.DurableEnd));

        Receive<ReservationRefused>(refused => Finish(new WriteFailed(refused.Batch, refused.Reason)));

        Receive<RetryWrite>(_ =>
        {
            if (_retrying is { } held)
            {
                _retrying = null;
                Write(held.Batch, held.Offset, held.DurableEnd);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop()
    {
        // Stopped while waiting for space: the batch was never written whole, so nothing of it was acknowledged.
        if (_retrying is { } held)
        {
            for (var i = 0; i < held.Batch.Count; i++)
            {
                AppendReplies.Fail(held.Batch[i], new WalStoppedException(), Context.Parent);
            }
        }
    }

    public static Props Props(IWalStore store, IActorRef durability, string dispatcher) =>
        Akka.Actor.Props.Create(() => new WriterActor(store, durability)).WithDispatcher(dispatcher);

    private void Write(WriteBatch batch, long offset, long durableEnd)
    {
        batch.Place(offset);
        if (_buffer.Length < batch.Bytes)
        {
            _buffer = new byte[Math.Max(batch.Bytes, _buffer.Length * 2)];
        }

        var frames = _buffer.AsSpan(0, batch.Bytes);
        var position = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            ref var entry = ref batch[i];
            position += entry.Request switch
            {
                Append append => FrameCodec.Encode(frames[position..], entry.Lsn, FrameKind.Full, append.Payload.Span, durableEnd),
                AppendBatch appendBatch => EncodeBatch(frames[position..], entry.Lsn, appendBatch.Payloads, appendBatch.Commit is not null, durableEnd),
                _ => throw new InvalidOperationException($"Unexpected request {entry.Request.GetType()}."),
            };
        }

        try
        {
            _store.WriteAt(offset, frames);
        }
        catch (WalIOException e) when (e.IsDiskFull && e.Operation == SegmentFile.CreatingSegment)
        {
            if (_retryDelay == FirstRetryDelay)
            {
                _log.Warning("WalActors: the disk is full, no new segment can be created; appends wait until space is freed ({0})", e.Message);
            }

            _retrying = new Reserved(batch, offset, durableEnd);
            Timers.StartSingleTimer(RetryWrite.Instance, RetryWrite.Instance, _retryDelay);
            _retryDelay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, _retryDelay.Ticks * 2));
            return;
        }
        catch (Exception e)
        {
            Finish(new WriteFailed(batch, e as WalException ?? new WalIOException("writing a batch of records", null, e)));
            return;
        }

        _retryDelay = FirstRetryDelay;

        // Every request's first frame is a place the head may move to once retention drops what lies before it.
        for (var i = 0; i < batch.Count; i++)
        {
            _store.NoteRecordStart(batch[i].Lsn);
        }

        Finish(batch);
    }

    private static int EncodeBatch(Span<byte> destination, long lsn, IReadOnlyList<ReadOnlyMemory<byte>> payloads, bool endsWithCommit, long durableEnd)
    {
        var position = 0;
        for (var i = 0; i < payloads.Count; i++)
        {
            var kind = endsWithCommit && i == payloads.Count - 1 ? FrameKind.Commit
                : payloads.Count == 1 ? FrameKind.Full
                : i == 0 ? FrameKind.First
                : i == payloads.Count - 1 ? FrameKind.Last
                : FrameKind.Middle;
            position += FrameCodec.Encode(destination[position..], lsn + position, kind, payloads[i].Span, durableEnd);
        }

        return position;
    }

    // The batch goes to the durability actor before the facade hears this writer is idle, so a Drain the facade
    // sends afterwards always reaches the durability actor after the batch.
    private void Finish(object outcome)
    {
        _durability.Tell(outcome);
        Context.Parent.Tell(WriterIdle.Instance);
    }

    private sealed class RetryWrite
    {
        public static readonly RetryWrite Instance = new();
    }
}
