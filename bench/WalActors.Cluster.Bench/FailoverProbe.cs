using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Asks every entity of a set to persist one event (<see cref="Probe.Persist"/>) or to tell its highest sequence
/// number (a <see cref="Ping"/>), and answers <see cref="AllAnswered"/> once each has answered at least once. A request
/// that went to a node that is gone is lost (Akka.Remote delivers at most once), so every entity that has not answered
/// yet is asked again on <see cref="ResendNow"/> (sent when the dead node has left the membership) and each
/// <c>resend</c> interval. Persists are asked again only after long: each resend to an entity still recovering is one
/// more persist once it has, load that a client's impatience would add to the very recovery being measured. Pings add
/// none, so after a failover they can be resent often and the time until the last answer measures the recovery, not
/// the interval. Each answer's sequence number is checked against the highest one acknowledged before
/// (<see cref="Probe.Acknowledged"/>): a persist must answer above it, a ping at least at it; an entity that does not
/// recovered without an event it had been told was durable, and is counted as <see cref="AllAnswered.Lost"/>.
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
    private long _failures;
    private IActorRef _reportTo = ActorRefs.Nobody;
    private bool _persist;
    private long _lastReport;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    public FailoverProbe(IActorRef region, TimeSpan resend)
    {
        _region = region;
        Receive<Probe>(probe =>
        {
            _reportTo = Sender;
            _started = Stopwatch.GetTimestamp();
            _lastReport = _started;
            _firstAnswer = 0;
            _sent = 0;
            _lost = 0;
            _failures = 0;
            _before = probe.Acknowledged;
            _persist = probe.Persist;
            _waiting.UnionWith(probe.EntityIds);
            SendToWaiting();
            Timers.StartPeriodicTimer("resend", Resend.Instance, resend);
        });
        Receive<Resend>(_ =>
        {
            if (Stopwatch.GetElapsedTime(_lastReport) >= ReportEvery)
            {
                _lastReport = Stopwatch.GetTimestamp();
                Console.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"    {Stopwatch.GetElapsedTime(_started).TotalSeconds:F0} s: {_waiting.Count:N0} entities not answered yet, {_failures:N0} persist failures so far"));
            }

            SendToWaiting();
        });
        Receive<ResendNow>(_ => SendToWaiting());
        Receive<Persisted>(reply =>
        {
            _acknowledged[reply.EntityId] = Math.Max(reply.SequenceNr, _acknowledged.GetValueOrDefault(reply.EntityId));
            Answered(reply.EntityId, reply.SequenceNr);
        });
        Receive<PersistFailed>(_ => _failures++); // asked again at the next resend
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, TimeSpan resend) => Akka.Actor.Props.Create(() => new FailoverProbe(region, resend));

    private void Answered(string entityId, long sequenceNr)
    {
        if (!_waiting.Remove(entityId))
        {
            return;
        }

        var before = _before.GetValueOrDefault(entityId);
        if (_persist ? sequenceNr <= before : sequenceNr < before)
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
            _region.Tell(_persist ? new PersistOne(id) : new Ping(id));
            _sent++;
        }
    }

    /// <summary>
    /// Ask these entities until each has answered once, to persist an event or (<paramref name="Persist"/> false) with a
    /// ping; <paramref name="Acknowledged"/>: each one's highest sequence number acknowledged before.
    /// </summary>
    public sealed record Probe(IReadOnlyList<string> EntityIds, IReadOnlyDictionary<string, long> Acknowledged, bool Persist);

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
