using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;

namespace WalActors.ClusterNode;

/// <summary>
/// Cuts this node off from other nodes of the cluster while its process, and its etcd connection, keep running: the
/// throttler adapter under Akka.Remote drops everything to and from each given port, on the connections open now and
/// on any later one, as Akka's TestConductor blackholes a node. One side's throttle cuts both directions (it drops what
/// it would send and what it receives), so the other nodes need no command of their own.
/// </summary>
internal static class RemoteBlackhole
{
    /// <summary>Returns once every throttle is in place; false if the transport has no throttler to set.</summary>
    public static async Task<bool> CutAsync(ActorSystem system, IEnumerable<int> ports)
    {
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)system).Provider).Transport;
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        var set = await Task.WhenAll(ports.Select(port => transport.ManagementCommand(
            new SetThrottle(self.WithPort(port), ThrottleTransportAdapter.Direction.Both, Blackhole.Instance))));
        return set.All(done => done);
    }
}
