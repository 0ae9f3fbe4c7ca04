using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Asks every entity of a set to persist one event and answers <see cref="AllAnswered"/> once each has answered at
/// least once. A request that went to a node that is gone is lost (Akka.Remote delivers at most once), so every entity
/// that has not answered yet is asked again on <see cref="ResendNow"/> (sent when the dead node has left the
/// membership: from then on sharding buffers the requests of moving shards instead of losing them) and each
/// <c>resend</c> interval. The interval is long on purpose: each resend to an entity still recovering is one more
/// persist once it has, load that a client's impatience would add to the very recovery being measured.
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
        Receive<ResendNow>(_ => SendToWaiting());
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

    /// <summary>Ask every entity that has not answered yet once more, now.</summary>
    public sealed record ResendNow;

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
    }
}
