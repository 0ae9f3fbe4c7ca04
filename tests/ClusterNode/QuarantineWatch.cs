using Akka.Actor;
using Akka.Remote;

namespace WalActors.ClusterNode;

/// <summary>
/// News that another member has quarantined this node. A member quarantines a node's incarnation once it removed it,
/// and no quarantined incarnation can ever associate with that member again: only a restart brings it back. The cluster
/// downs a frozen or cut-off node on the others' side, and the node usually learns it from their last gossip or downs
/// itself as the minority; when that gossip is lost and its own resolver has not decided yet, a refused association
/// is the one news of its removal that reaches it (CI, 2026-12-03: a node thawed after its removal still ran 60 s
/// later, retrying the leases of its old shards, while the others refused it).
/// </summary>
internal static class QuarantineWatch
{
    /// <summary>A task that ends, with the refusing member's address, the first time a member refuses this node as quarantined.</summary>
    public static Task<Address> Start(ActorSystem system)
    {
        var quarantined = new TaskCompletionSource<Address>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = system.ActorOf(Props.Create(() => new Listener(quarantined)), "quarantine-watch");
        system.EventStream.Subscribe(watch, typeof(ThisActorSystemQuarantinedEvent));
        return quarantined.Task;
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(TaskCompletionSource<Address> quarantined) =>
            Receive<ThisActorSystemQuarantinedEvent>(e => quarantined.TrySetResult(e.RemoteAddress));
    }
}
