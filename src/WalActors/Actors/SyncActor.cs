using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>Issues the durability barriers the durability actor schedules, one at a time, on the I/O dispatcher.</summary>
internal sealed class SyncActor : ReceiveActor
{
    public SyncActor(IWalStore store)
    {
        Receive<BarrierRequest>(request =>
        {
            try
            {
                store.Sync();
                Sender.Tell(new BarrierCompleted(request.Target));
            }
            catch (Exception e)
            {
                Sender.Tell(new BarrierFailed(request.Target, e as WalException ?? new WalIOException("flushing to stable storage", null, e)));
            }
        });
    }

    public static Props Props(IWalStore store, string dispatcher) =>
        Akka.Actor.Props.Create(() => new SyncActor(store)).WithDispatcher(dispatcher);
}
