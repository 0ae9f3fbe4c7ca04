using Akka.Actor;

namespace WalActors.Actors.Internal;

/// <summary>
/// What one running log shares with the code that talks to it in-process: its options, its capacity and its counters.
/// The log's mailbox carries it, so anyone holding the log's local actor reference can reach it without a message.
/// </summary>
internal sealed class LogHandle
{
    private volatile WalException? _stopReason;

    public LogHandle(WalOptions options)
    {
        Options = options;
        Capacity = new LogCapacity(options.MaxPendingAppends, options.MaxPendingBytes);
    }

    public WalOptions Options { get; }

    public LogCapacity Capacity { get; }

    public WalMetrics Metrics { get; } = new();

    /// <summary>Every registered consumer's latest durable commit: loaded by recovery, updated as commits are acknowledged.</summary>
    public ConsumerRegistry Consumers { get; } = new();

    /// <summary>The log's metrics instruments, while it runs (set once it has recovered).</summary>
    public WalInstruments? Instruments { get; set; }

    /// <summary>Why the log stopped (its fault, or a plain stop): what requests left in its mailbox are answered with.</summary>
    public WalException StopReason
    {
        get => _stopReason ?? new WalStoppedException();
        set => _stopReason = value;
    }

    /// <summary>
    /// The handle of the log behind <paramref name="log"/>, or null when that actor has terminated or is not a local
    /// WalActors log. The handle travels in the facade's props, so it is there from the moment the actor is created
    /// (a top-level actor's cell is installed asynchronously) and for every incarnation after a restart.
    /// </summary>
    public static LogHandle? Of(IActorRef log) =>
        log is ActorRefWithCell { Underlying: { IsTerminated: false } cell } ? In(cell.Props) : null;

    /// <summary>The handle among an actor's constructor arguments; null for an actor that is not a log's facade.</summary>
    public static LogHandle? In(Props props) => props.Arguments?.OfType<LogHandle>().FirstOrDefault();

    /// <summary>Whether the local actor behind <paramref name="log"/> has terminated (its requests then go to dead letters).</summary>
    public static bool IsTerminated(IActorRef log) => log is ActorRefWithCell { Underlying.IsTerminated: true };
}
