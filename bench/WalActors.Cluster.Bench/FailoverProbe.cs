using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Asks every entity of a set to persist one event and answers <see cref="AllAnswered"/> once each has answered at
/// least once. A request that may have gone to a node that is gone is lost (Akka.Remote delivers at most once), so
/// every entity that has not answered yet is asked again each <c>resend</c> interval; sharding buffers the requests for
/// shards that are moving.
/// </summary>
public sealed class FailoverProbe : ReceiveActor, IWithTimers
{
    private readonly HashSet<string> _waiting = [];
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
            _waiting.UnionWith(probe.EntityIds);
            SendToWaiting();
            Timers.StartPeriodicTimer("resend", Resend.Instance, resend);
        });
        Receive<Resend>(_ => SendToWaiting());
        Receive<Persisted>(reply => Answered(reply.EntityId));
        Receive<PersistFailed>(_ => { }); // asked again at the next resend
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, TimeSpan resend) => Akka.Actor.Props.Create(() => new FailoverProbe(region, resend));

    private void Answered(string entityId)
    {
        if (!_waiting.Remove(entityId))
        {
            return;
        }

        if (_firstAnswer == 0)
        {
            _firstAnswer = Stopwatch.GetTimestamp();
        }

        if (_waiting.Count == 0)
        {
            Timers.Cancel("resend");
            var now = Stopwatch.GetTimestamp();
            _reportTo.Tell(new AllAnswered(Stopwatch.GetElapsedTime(_started, now), Stopwatch.GetElapsedTime(_started, _firstAnswer), _sent));
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

    /// <summary>Ask these entities until each has answered once.</summary>
    public sealed record Probe(IReadOnlyList<string> EntityIds);

    /// <summary>Every entity answered: when the last and the first did (from the probe), and how many requests it took.</summary>
    public sealed record AllAnswered(TimeSpan Last, TimeSpan First, long Sent);

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
    }
}
