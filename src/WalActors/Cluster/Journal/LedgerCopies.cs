using Akka.Actor;
using Akka.Cluster;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Finds a ledger's copies for its writer on this node: this node's own and those of the other members of the ledger's
/// ensemble, which the ledger's first writer fixed in etcd (<see cref="LedgerEnsembleStore"/>) as itself and the R − 1
/// followers <see cref="LedgerEnsemble"/> picked from the cluster's Up members then. Each node's replica host is asked for its copy
/// (started if need be) and answers with the copy's own ref, the incarnation the writer counts answers from. A host that
/// does not answer in time, or is not asked at all because it is no longer a member or this node sees it unreachable,
/// is given by path alone: the writer probes it and takes the first incarnation that answers, which the node's host
/// starts when it comes back with the copy on disk.
/// </summary>
internal sealed class LedgerCopies(ActorSystem system, ClusterJournalSettings settings, IActorRef localHost, LedgerEnsembleStore ensembles)
{
    /// <exception cref="ShardNotOnReplicaException">The ledger's ensemble does not include this node.</exception>
    /// <exception cref="LedgerQuorumException">The ledger has no ensemble yet and fewer than R members are Up to make one.</exception>
    /// <exception cref="Akka.Coordination.LeaseTimeoutException">etcd did not answer the ensemble's claim in time.</exception>
    public async Task<(IActorRef Local, IReadOnlyList<IActorRef> Followers)> EnsureAsync(string ledger)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        // Read first: a later owner must not need R members Up to learn an ensemble that exists.
        var ensemble = await ensembles.ReadAsync(ledger).ConfigureAwait(false)
            ?? await ensembles.ClaimAsync(ledger, Proposal(ledger, self)).ConfigureAwait(false);
        if (!ensemble.Contains(self))
        {
            throw new ShardNotOnReplicaException(ledger, self.ToString(), [.. ensemble.Select(a => a.ToString())]);
        }

        var local = (await localHost.Ask<ReplicaReady>(new EnsureReplica(ledger), settings.Timeout).ConfigureAwait(false)).Replica;
        var remote = await Task.WhenAll(ensemble.Where(a => !a.Equals(self)).Select(f => FollowerAsync(f, ledger))).ConfigureAwait(false);
        return (local, remote);
    }

    // Only the first writer's proposal is stored; later ones read it back.
    private IReadOnlyList<Address> Proposal(string ledger, Address self)
    {
        if (settings.Replicas == 1)
        {
            return [self];
        }

        var members = Akka.Cluster.Cluster.Get(system).State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address);
        IReadOnlyList<Address> proposal = [self, .. LedgerEnsemble.FollowersOf(ledger, self, members, settings.Replicas)];

        // Stored, an ensemble of fewer than R nodes would stay under-replicated for the ledger's whole life.
        return proposal.Count == settings.Replicas
            ? proposal
            : throw new LedgerQuorumException(ledger, settings.Replicas, proposal.Count, settings.Timeout);
    }

    private async Task<IActorRef> FollowerAsync(Address node, string ledger)
    {
        // A member that has left, or that this node's failure detector has given up on, cannot answer: asking it would
        // hold the ledger's opening for the whole wait, and with it the recoveries of the shard's entities, which hold
        // Akka.Persistence's recovery permits meanwhile (a failover of 50 shards opened 5 at a time, 5 s each).
        if (!IsReachableMember(node))
        {
            return CopyByPath(node, ledger);
        }

        var host = system.ActorSelection(LedgerReplicaHost.PathAt(node));
        try
        {
            return (await host.Ask<ReplicaReady>(new EnsureReplica(ledger), settings.Timeout / 2).ConfigureAwait(false)).Replica;
        }
        catch (AskTimeoutException)
        {
            return CopyByPath(node, ledger);
        }
    }

    private bool IsReachableMember(Address node)
    {
        var state = Akka.Cluster.Cluster.Get(system).State;
        return state.Members.Any(m => m.Address.Equals(node) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining or MemberStatus.Leaving)
            && !state.Unreachable.Any(m => m.Address.Equals(node));
    }

    private IActorRef CopyByPath(Address node, string ledger) =>
        ((ExtendedActorSystem)system).Provider.ResolveActorRef(LedgerReplicaHost.PathAt(node) / ledger);
}
