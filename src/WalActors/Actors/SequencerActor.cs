using Akka.Actor;
using WalActors.Actors.Internal;

namespace WalActors.Actors;

/// <summary>
/// Hands out contiguous, non-overlapping offset ranges to writers, in the order the facade dispatched their batches,
/// never further than the in-flight window past the durable end.
/// </summary>
/// <remarks>
/// <para>Writers ask concurrently, so their requests can arrive out of order; granting by ticket keeps every producer's
/// LSNs increasing in the order it sent its appends.</para>
/// <para>The window is what lets recovery call a bad record followed far later by valid ones damage: no range is ever
/// reserved beyond durable end + window, so a valid record that far out proves the bad one was once durable.</para>
/// </remarks>
internal sealed class SequencerActor : ReceiveActor
{
    private readonly long _window;
    private readonly Dictionary<long, (IActorRef Writer, int Bytes)> _held = [];
    private long _next;
    private long _durable;
    private long _nextTicket;
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
                Sender.Tell(new ReservationRefused(_fault));
                return;
            }

            _held.Add(reserve.Ticket, (Sender, reserve.Bytes));
            GrantInOrder();
        });

        Receive<DurableAdvanced>(advanced =>
        {
            _durable = Math.Max(_durable, advanced.End);
            GrantInOrder();
        });

        Receive<LogFaulted>(faulted =>
        {
            _fault = faulted.Reason;
            foreach (var (writer, _) in _held.Values)
            {
                writer.Tell(new ReservationRefused(_fault));
            }

            _held.Clear();
        });
    }

    public static Props Props(long start, long window) => Akka.Actor.Props.Create(() => new SequencerActor(start, window));

    private void GrantInOrder()
    {
        while (_held.TryGetValue(_nextTicket, out var request) && _next + request.Bytes <= _durable + _window)
        {
            _held.Remove(_nextTicket);
            _nextTicket++;
            request.Writer.Tell(new Reserved(_next));
            _next += request.Bytes;
        }
    }
}
