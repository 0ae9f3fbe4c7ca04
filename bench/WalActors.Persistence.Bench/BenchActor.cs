using Akka.Actor;
using Akka.Persistence;

namespace WalActors.Persistence.Bench;

/// <summary>
/// A persistent actor that, once started, persists its events one <c>Persist</c> at a time (each the moment the last
/// is acknowledged: a closed loop, as a service handling one command after another), or a whole <see cref="Fill"/>
/// with <c>PersistAll</c>, and signals a countdown when done.
/// </summary>
public sealed class BenchActor : ReceivePersistentActor
{
    private readonly Countdown _done;
    private readonly Countdown? _recoveredSignal;
    private readonly long _target;
    private long _persisted;
    private long _recovered;

    public BenchActor(string persistenceId, long target, Countdown done, Countdown? recovered = null)
    {
        PersistenceId = persistenceId;
        _target = target;
        _done = done;
        _recoveredSignal = recovered;
        Recover<string>(_ => _recovered++);
        Recover<RecoveryCompleted>(_ =>
        {
            _recoveredSignal?.Signal(_recovered);
            if (_target == 0)
            {
                _done.Signal(_recovered);
            }
        });
        Command<Next>(_ => Persist(Events[(int)(_persisted % Events.Length)], _ =>
        {
            if (++_persisted == _target)
            {
                _done.Signal(_persisted);
            }
            else
            {
                Self.Tell(Next.Instance);
            }
        }));
        Command<Fill>(fill => PersistAll(fill.Events, _ =>
        {
            if (++_persisted == _target)
            {
                _done.Signal(_persisted);
            }
        }));
    }

    public override string PersistenceId { get; }

    // A failed or refused write stops the actor and would never signal: the run must end with the reason, not wait for it.
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _done.Fail(new InvalidOperationException($"{PersistenceId}: persisting sequence number {sequenceNr} failed: {cause.Message}", cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _done.Fail(new InvalidOperationException($"{PersistenceId}: persisting sequence number {sequenceNr} was rejected: {cause.Message}", cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private static string[] Events { get; } = Enumerable.Range(0, 1000).Select(i => $"event-{i:D6}").ToArray();

    /// <summary>An actor that persists <paramref name="target"/> events, or with 0, one that only recovers and reports how many it replayed.</summary>
    /// <param name="recovered">Signalled when the actor's recovery completes, when given.</param>
    /// <remarks>Not <c>Props.Create(() => new ...)</c>: that compiles an expression tree per actor (akka.net #4698), which
    /// held the storm fill's waves of 10,000 new entities near 3,400 recoveries/s here.</remarks>
    public static Props Props(string persistenceId, long target, Countdown done, Countdown? recovered = null) =>
        Akka.Actor.Props.Create<BenchActor>(persistenceId, target, done, recovered!);

    /// <summary>Start persisting (or persist the next event).</summary>
    public sealed class Next
    {
        public static readonly Next Instance = new();

        private Next()
        {
        }
    }

    /// <summary>Persist these events in one atomic write.</summary>
    public sealed record Fill(IReadOnlyList<string> Events);
}
