using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Frames a batch of appends and writes it with one positioned write at the range the sequencer reserved.
/// Runs on the I/O dispatcher: the write blocks this actor's own thread, nobody else's.
/// </summary>
internal sealed class WriterActor : ReceiveActor
{
    private readonly IWalStore _store;
    private readonly IActorRef _sequencer;
    private readonly IActorRef _durability;
    private byte[] _buffer = new byte[64 * 1024];
    private WriteBatch? _batch;

    public WriterActor(IWalStore store, IActorRef sequencer, IActorRef durability)
    {
        _store = store;
        _sequencer = sequencer;
        _durability = durability;

        Receive<WriteBatch>(batch =>
        {
            _batch = batch;
            _sequencer.Tell(new Reserve(batch.Bytes, batch.Ticket));
        });

        Receive<Reserved>(reserved => Write(reserved.Offset));

        Receive<ReservationRefused>(refused => Finish(new WriteFailed(TakeBatch(), refused.Reason)));
    }

    protected override void PostStop()
    {
        // A batch still waiting for its reservation when the system goes down was never written: fail it, don't strand it.
        if (_batch is { } batch)
        {
            var reason = new WalStoppedException();
            for (var i = 0; i < batch.Count; i++)
            {
                AppendReplies.Fail(batch[i], reason, Context.Parent);
            }
        }
    }

    public static Props Props(IWalStore store, IActorRef sequencer, IActorRef durability, string dispatcher) =>
        Akka.Actor.Props.Create(() => new WriterActor(store, sequencer, durability)).WithDispatcher(dispatcher);

    private void Write(long offset)
    {
        var batch = TakeBatch();
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
                Append append => FrameCodec.Encode(frames[position..], entry.Lsn, FrameKind.Full, append.Payload.Span),
                AppendBatch appendBatch => EncodeBatch(frames[position..], entry.Lsn, appendBatch.Payloads),
                _ => throw new InvalidOperationException($"Unexpected request {entry.Request.GetType()}."),
            };
        }

        try
        {
            _store.WriteAt(offset, frames);
        }
        catch (Exception e)
        {
            Finish(new WriteFailed(batch, e as WalException ?? new WalIOException("writing a batch of records", null, e)));
            return;
        }

        Finish(batch);
    }

    private static int EncodeBatch(Span<byte> destination, long lsn, IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        var position = 0;
        for (var i = 0; i < payloads.Count; i++)
        {
            var kind = payloads.Count == 1 ? FrameKind.Full
                : i == 0 ? FrameKind.First
                : i == payloads.Count - 1 ? FrameKind.Last
                : FrameKind.Middle;
            position += FrameCodec.Encode(destination[position..], lsn + position, kind, payloads[i].Span);
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

    private WriteBatch TakeBatch()
    {
        var batch = _batch ?? throw new InvalidOperationException("The writer has no batch in flight.");
        _batch = null;
        return batch;
    }
}
