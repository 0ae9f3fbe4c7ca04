using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Asks every entity of a set to persist one event and answers <see cref="AllAnswered"/> once each has answered at
/// least once. A request that went to a node that is gone is lost (Akka.Remote delivers at most once), so every entity
/// that has not answered yet is asked again on <see cref="ResendNow"/> (sent when the dead node has left the
/// membership: from then on sharding buffers the requests of moving shards instead of losing them) and each
/// <c>resend</c> interval. The interval is long on purpose: each resend to an entity still recovering is one more
/// persist once it has, load that a client's impatience would add to the very recovery being measured. Each answer's
/// sequence number is checked against the highest one acknowledged before (<see cref="Probe.Acknowledged"/>): an entity
/// that answers with a number not above it recovered without an event it had been told was durable, and is counted as
/// <see cref="AllAnswered.Lost"/>.
/// </summary>
public sealed class FailoverProbe : ReceiveActor, IWithTimers
{
    private readonly HashSet<string> _waiting = [];
    private readonly Dictionary<string, long> _acknowledged = [];
    private IReadOnlyDictionary<string, long> _before = new Dictionary<string, long>();
    private long _lost;
    private readonly IActorRef _region;
    private long _started;
    private long _firstAnswer;
    private long _sent;
    private IActorRef _reportTo = ActorRefs.Nobody;

    public FailoverProbe(IActorRef region, TimeSpan resend)
    {
        _region = region;
        Receive<Probe>(probe =>
        {
            _reportTo = Sender;
            _started = Stopwatch.GetTimestamp();
            _firstAnswer = 0;
            _sent = 0;
            _lost = 0;
            _before = probe.Acknowledged;
            _waiting.UnionWith(probe.EntityIds);
            SendToWaiting();
            Timers.StartPeriodicTimer("resend", Resend.Instance, resend);
        });
        Receive<Resend>(_ => SendToWaiting());
        Receive<ResendNow>(_ => SendToWaiting());
        Receive<Persisted>(reply =>
        {
            _acknowledged[reply.EntityId] = Math.Max(reply.SequenceNr, _acknowledged.GetValueOrDefault(reply.EntityId));
            Answered(reply.EntityId, reply.SequenceNr);
        });
        Receive<PersistFailed>(_ => { }); // asked again at the next resend
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, TimeSpan resend) => Akka.Actor.Props.Create(() => new FailoverProbe(region, resend));

    private void Answered(string entityId, long sequenceNr)
    {
        if (!_waiting.Remove(entityId))
        {
            return;
        }

        if (sequenceNr <= _before.GetValueOrDefault(entityId))
        {
            _lost++;
        }

        if (_firstAnswer == 0)
        {
            _firstAnswer = Stopwatch.GetTimestamp();
        }

        if (_waiting.Count == 0)
        {
            Timers.Cancel("resend");
            var now = Stopwatch.GetTimestamp();
            _reportTo.Tell(new AllAnswered(
                Stopwatch.GetElapsedTime(_started, now), Stopwatch.GetElapsedTime(_started, _firstAnswer), _sent, _lost, new Dictionary<string, long>(_acknowledged)));
        }
    }

    private void SendToWaiting()
    {
        foreach (var id in _waiting)
        {
            _region.Tell(new PersistOne(id));
            _sent++;
        }
    }

    /// <summary>Ask these entities until each has answered once; <paramref name="Acknowledged"/>: each one's highest sequence number acknowledged before.</summary>
    public sealed record Probe(IReadOnlyList<string> EntityIds, IReadOnlyDictionary<string, long> Acknowledged);

    /// <summary>
    /// Every entity answered: when the last and the first did (from the probe), how many requests it took, how many
    /// answered at a sequence number not above what was acknowledged before, and the highest acknowledged of each.
    /// </summary>
    public sealed record AllAnswered(TimeSpan Last, TimeSpan First, long Sent, long Lost, IReadOnlyDictionary<string, long> Acknowledged);

    /// <summary>Ask every entity that has not answered yet once more, now.</summary>
    public sealed record ResendNow;

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
    }
}
