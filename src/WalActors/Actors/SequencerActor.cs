using System.Diagnostics;
using Akka.Actor;
using WalActors.Actors.Internal;

namespace WalActors.Actors;

/// <summary>
/// Hands out contiguous, non-overlapping offset ranges for the facade's batches, in the order the facade dispatched them,
/// never further than the in-flight window past the durable end, and passes each batch on to its writer with its range.
/// </summary>
/// <remarks>
/// <para>Only the facade asks, and Akka keeps one sender's messages in order, so granting first-come first-served keeps
/// every producer's LSNs increasing in the order it sent its appends.</para>
/// <para>Forwarding the batch to its writer with the grant, rather than having the writer ask, saves the writer a round
/// trip (and its dedicated thread a wake-up) per batch.</para>
/// <para>Each grant carries the durable end the sequencer knows, which the writer stamps into every frame: recovery calls an
/// invalid frame damage when any valid frame proves a barrier had covered it. The window keeps that stamp within the
/// frame's 32-bit lag field, and it is what old (version 1) frames, which carry no stamp, are judged by: no range is ever
/// reserved beyond durable end + window, so a valid record that far past a bad one proves the bad one was durable.</para>
/// </remarks>
internal sealed class SequencerActor : ReceiveActor
{
    private readonly long _window;
    private readonly Queue<Reserve> _held = new();
    private long _next;
    private long _durable;
    private WalException? _fault;

    public SequencerActor(long start, long window)
    {
        _next = start;
        _durable = start;
        _window = window;

        Receive<Reserve>(reserve =>
        {
            if (_fault is not null)
            {
                reserve.Writer.Tell(new ReservationRefused(reserve.Batch, _fault));
                return;
            }

            _held.Enqueue(reserve);
            GrantInOrder();
        });

        Receive<DurableAdvanced>(advanced =>
        {
            _durable = Math.Max(_durable, advanced.End);
            Debug.Assert(_durable <= _next, "the durable end passed the last range granted");
            GrantInOrder();
        });

        Receive<LogFaulted>(faulted =>
        {
            _fault = faulted.Reason;
            while (_held.TryDequeue(out var reserve))
            {
                reserve.Writer.Tell(new ReservationRefused(reserve.Batch, _fault));
            }
        });
    }

    public static Props Props(long start, long window) => Akka.Actor.Props.Create(() => new SequencerActor(start, window));

    private void GrantInOrder()
    {
        while (_held.TryPeek(out var reserve) && _next + reserve.Batch.Bytes <= _durable + _window)
        {
            _held.Dequeue();

            // Advance before telling: once the writer has the batch it may write it, have it acknowledged and returned to
            // the pool (its size reset to 0) before this line would run again, and the next range would then overlap it.
            Debug.Assert(reserve.Batch.Bytes > 0 && !reserve.Batch.IsPooled, "a range granted to an empty or pooled batch");
            var offset = _next;
            _next += reserve.Batch.Bytes;
            reserve.Writer.Tell(new Reserved(reserve.Batch, offset, _durable));
        }
    }
}
