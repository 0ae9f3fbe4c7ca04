using System.Diagnostics;
using Akka.Actor;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Drives entities through their shard region in a closed loop: each entity has one <see cref="PersistOne"/> in
/// flight, and the next is sent the moment its answer arrives. <see cref="AwaitEveryEntity"/> is answered once every
/// entity has answered at least once (all started and recovered, their ledgers open). Between <see cref="BeginMeasuring"/> and
/// <see cref="EndMeasuring"/> it counts the answers and records each one's round trip (region → entity → journal →
/// back); after <see cref="EndMeasuring"/> it sends nothing more and answers <see cref="Measured"/> once every entity
/// has answered its last request.
/// </summary>
public sealed class ClosedLoopDriver : ReceiveActor
{
    private readonly IActorRef _region;
    private readonly Dictionary<string, long> _sentAt = [];
    private readonly List<long> _latencies = [];
    private readonly HashSet<string> _notYetAnswered;
    private readonly List<IActorRef> _awaitingEveryEntity = [];
    private bool _measuring;
    private bool _ending;
    private long _windowStart;
    private long _windowEnd;
    private long _failures;
    private string? _firstFailure;
    private IActorRef _reportTo = ActorRefs.Nobody;

    public ClosedLoopDriver(IActorRef region, IReadOnlyList<string> entityIds)
    {
        _region = region;
        _notYetAnswered = [.. entityIds];
        Receive<AwaitEveryEntity>(_ =>
        {
            _awaitingEveryEntity.Add(Sender);
            ReportEveryEntityAnswered();
        });
        Receive<Start>(_ =>
        {
            foreach (var id in entityIds)
            {
                Send(id);
            }
        });
        Receive<BeginMeasuring>(_ =>
        {
            _measuring = true;
            _windowStart = Stopwatch.GetTimestamp();
        });
        Receive<EndMeasuring>(_ =>
        {
            _windowEnd = Stopwatch.GetTimestamp();
            _measuring = false;
            _ending = true;
            _reportTo = Sender;
            ReportWhenDrained();
        });
        Receive<Persisted>(reply => Answered(reply.EntityId, failed: null));
        Receive<PersistFailed>(reply => Answered(reply.EntityId, reply.Reason));
    }

    public static Props Props(IActorRef region, IReadOnlyList<string> entityIds) =>
        Akka.Actor.Props.Create(() => new ClosedLoopDriver(region, entityIds));

    private void Answered(string entityId, string? failed)
    {
        var now = Stopwatch.GetTimestamp();
        if (!_sentAt.Remove(entityId, out var sentAt))
        {
            return;
        }

        if (_notYetAnswered.Remove(entityId))
        {
            ReportEveryEntityAnswered();
        }

        if (failed is not null)
        {
            // A failed entity is stopped by Akka.Persistence; sharding starts it again on the next message.
            _failures++;
            _firstFailure ??= failed;
        }
        else if (_measuring)
        {
            _latencies.Add(now - sentAt);
        }

        if (_ending)
        {
            ReportWhenDrained();
        }
        else
        {
            Send(entityId);
        }
    }

    private void ReportEveryEntityAnswered()
    {
        if (_notYetAnswered.Count == 0)
        {
            _awaitingEveryEntity.ForEach(waiting => waiting.Tell(new EveryEntityAnswered()));
            _awaitingEveryEntity.Clear();
        }
    }

    private void Send(string entityId)
    {
        _sentAt[entityId] = Stopwatch.GetTimestamp();
        _region.Tell(new PersistOne(entityId));
    }

    private void ReportWhenDrained()
    {
        if (_sentAt.Count == 0)
        {
            _reportTo.Tell(new Measured(_latencies.ToArray(), Stopwatch.GetElapsedTime(_windowStart, _windowEnd), _failures, _firstFailure));
        }
    }

    /// <summary>Send every entity its first request.</summary>
    public sealed record Start;

    /// <summary>Answer <see cref="EveryEntityAnswered"/> once every entity has answered at least once.</summary>
    public sealed record AwaitEveryEntity;

    /// <summary>Every entity has answered at least once.</summary>
    public sealed record EveryEntityAnswered;

    /// <summary>Count and time the answers from now on.</summary>
    public sealed record BeginMeasuring;

    /// <summary>Stop counting and sending; answer <see cref="Measured"/> once nothing is in flight.</summary>
    public sealed record EndMeasuring;

    /// <summary>The round trips (in <see cref="Stopwatch"/> ticks) of the answers in the window, its length, and failures.</summary>
    public sealed record Measured(long[] Latencies, TimeSpan Window, long Failures, string? FirstFailure);
}
