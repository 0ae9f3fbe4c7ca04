using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>
/// Runs first: opens the store, scans it from its head, truncates a torn tail, then tells the facade and publishes
/// <see cref="WalReady"/> (or <see cref="WalFaulted"/>) on the EventStream. Runs on the I/O dispatcher and stops when done.
/// </summary>
internal sealed class RecoveryActor : ReceiveActor
{
    public RecoveryActor(Func<IWalStore> openStore, WalOptions options, string path)
    {
        Self.Tell(Start.Instance);
        Receive<Start>(_ =>
        {
            IWalStore? store = null;
            try
            {
                store = openStore();
                var report = LogOpener.Recover(store, options, path);
                Context.Parent.Tell(new RecoveryCompleted(store, report));
                Context.System.EventStream.Publish(new WalReady(Context.Parent, report));
            }
            catch (Exception e)
            {
                store?.Dispose();
                var reason = e as WalException ?? new WalIOException("recovering the log", path, e);
                Context.Parent.Tell(new RecoveryFailed(reason));
                Context.System.EventStream.Publish(new WalFaulted(Context.Parent, reason));
            }

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
