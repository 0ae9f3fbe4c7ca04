using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>
/// Runs first: opens the store, scans it from its head (or from its recovery point, when one matches it), truncates a
/// torn tail, then tells the facade and publishes <see cref="WalReady"/> (or <see cref="WalFaulted"/>) on the EventStream.
/// Runs on the I/O dispatcher and stops when done.
/// </summary>
/// <remarks>
/// The store it opens is always closed by someone: by this actor when recovery fails, otherwise by whoever receives
/// <see cref="RecoveryCompleted"/>: the facade adopts it, or closes it when it no longer expects it (an earlier
/// incarnation's recovery, a log already faulted); and if the facade stops before reading the message (the system
/// terminating while the log recovers), its mailbox closes the store when it is cleaned up (<see cref="LogMessageQueue"/>).
/// Otherwise the lock and every segment handle would outlive the log, and every later open in this process would fail
/// with <see cref="LogInUseException"/>.
/// </remarks>
internal sealed class RecoveryActor : ReceiveActor
{
    public RecoveryActor(Func<IWalStore> openStore, WalOptions options, string path)
    {
        Self.Tell(Start.Instance);
        Receive<Start>(_ =>
        {
            object outcome;
            IWalStore? store = null;
            try
            {
                store = openStore();
                // Salvage is asked for to find damage wherever it lies: it reads every frame.
                var recoveryOptions = options.ToRecoveryOptions();
                recoveryOptions = recoveryOptions with { UseRecoveryPoint = recoveryOptions.Policy == RecoveryPolicy.Strict };
                var report = LogOpener.Recover(store, recoveryOptions, path, out var prefix);
                outcome = new RecoveryCompleted(store, report, prefix);
            }
            catch (Exception e)
            {
                store?.Dispose();
                outcome = new RecoveryFailed(e as WalException ?? new WalIOException("recovering the log", path, e));
            }

            // From here the store belongs to the message.
            Context.Parent.Tell(outcome);
            Context.System.EventStream.Publish(outcome switch
            {
                RecoveryCompleted completed => new WalReady(Context.Parent, completed.Report),
                _ => (object)new WalFaulted(Context.Parent, ((RecoveryFailed)outcome).Reason),
            });
            Context.Stop(Self);
        });
    }

    public static Props Props(Func<IWalStore> openStore, WalOptions options, string path, string dispatcher) =>
        Akka.Actor.Props.Create(() => new RecoveryActor(openStore, options, path)).WithDispatcher(dispatcher);

    private sealed class Start
    {
        public static readonly Start Instance = new();
    }
}
