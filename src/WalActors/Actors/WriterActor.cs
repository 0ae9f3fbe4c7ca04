using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Frames a batch of appends and writes it with one positioned write at the range the sequencer reserved for it (the
/// sequencer forwards the batch here with its range).
/// Runs on the I/O dispatcher: the write blocks this actor's own thread, nobody else's.
/// </summary>
internal sealed class WriterActor : ReceiveActor
{
    private readonly IWalStore _store;
    private readonly IActorRef _durability;
    private byte[] _buffer = new byte[64 * 1024];

    public WriterActor(IWalStore store, IActorRef durability)
    {
        _store = store;
        _durability = durability;

        Receive<Reserved>(reserved => Write(reserved.Batch, reserved.Offset, reserved.DurableEnd));

        Receive<ReservationRefused>(refused => Finish(new WriteFailed(refused.Batch, refused.Reason)));
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
                AppendBatch appendBatch => EncodeBatch(frames[position..], entry.Lsn, appendBatch.Payloads, durableEnd),
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

        // Every request's first frame is a place the head may move to once retention drops what lies before it.
        for (var i = 0; i < batch.Count; i++)
        {
            _store.NoteRecordStart(batch[i].Lsn);
        }

        Finish(batch);
    }

    private static int EncodeBatch(Span<byte> destination, long lsn, IReadOnlyList<ReadOnlyMemory<byte>> payloads, long durableEnd)
    {
        var position = 0;
        for (var i = 0; i < payloads.Count; i++)
        {
            var kind = payloads.Count == 1 ? FrameKind.Full
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
}
