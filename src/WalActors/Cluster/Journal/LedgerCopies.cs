using Akka.Actor;
using Akka.Cluster;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Finds a ledger's copies for its writer on this node: this node's own and those of the R − 1 followers
/// <see cref="LedgerEnsemble"/> picks from the cluster's Up members. Each node's replica host is asked for its copy
/// (started if need be) and answers with the copy's own ref, the incarnation the writer counts answers from. A host that
/// does not answer in time (a member that is down but not yet removed) is given by path alone: the writer probes it
/// and takes the first incarnation that answers, which the node's host starts when it comes back with the copy on disk.
/// </summary>
internal sealed class LedgerCopies(ActorSystem system, ClusterJournalSettings settings, IActorRef localHost)
{
    public async Task<(IActorRef Local, IReadOnlyList<IActorRef> Followers)> EnsureAsync(string ledger)
    {
        var followers = settings.Replicas > 1 ? FollowerNodes(ledger) : [];
        var local = (await localHost.Ask<ReplicaReady>(new EnsureReplica(ledger), settings.Timeout).ConfigureAwait(false)).Replica;
        var remote = await Task.WhenAll(followers.Select(f => FollowerAsync(f, ledger))).ConfigureAwait(false);
        return (local, remote);
    }

    private IReadOnlyList<Address> FollowerNodes(string ledger)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var members = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address);
        return LedgerEnsemble.FollowersOf(ledger, cluster.SelfAddress, members, settings.Replicas);
    }

    private async Task<IActorRef> FollowerAsync(Address node, string ledger)
    {
        var host = system.ActorSelection(LedgerReplicaHost.PathAt(node));
        try
        {
            return (await host.Ask<ReplicaReady>(new EnsureReplica(ledger), settings.Timeout / 2).ConfigureAwait(false)).Replica;
        }
        catch (AskTimeoutException)
        {
            return ((ExtendedActorSystem)system).Provider.ResolveActorRef(LedgerReplicaHost.PathAt(node) / ledger);
        }
    }
}
