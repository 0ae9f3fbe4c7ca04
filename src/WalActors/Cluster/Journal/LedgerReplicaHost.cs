using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Journal;

/// <summary>
/// One per actor system, at <see cref="Name"/> under <c>/system</c>: keeps this node's copy of every ledger as a child
/// <see cref="LedgerReplica"/> named after the ledger, its log in <c>ledgers/&lt;ledger id&gt;</c>. A copy is started on
/// demand (<see cref="EnsureReplica"/>, answered with the child's ref) and, at start, for every ledger already on disk:
/// a writer that probes a restarted node's copy by path must find it running, not only once someone asks for it.
/// </summary>
internal sealed class LedgerReplicaHost : ReceiveActor
{
    /// <summary>The host's name under <c>/system</c>, the same on every node.</summary>
    public const string Name = "walactors-ledger-replicas";

    private readonly ClusterJournalSettings _settings;

    public LedgerReplicaHost(ClusterJournalSettings settings)
    {
        _settings = settings;
        Receive<EnsureReplica>(ensure =>
        {
            if (!ActorPath.IsValidPathElement(ensure.Ledger))
            {
                Sender.Tell(new Status.Failure(new ArgumentException($"'{ensure.Ledger}' is not a valid ledger id.", nameof(ensure))));
                return;
            }

            Sender.Tell(new ReplicaReady(ensure.Ledger, ReplicaOf(ensure.Ledger)));
        });
    }

    public static Props Props(ClusterJournalSettings settings) => Akka.Actor.Props.Create(() => new LedgerReplicaHost(settings));

    /// <summary>The path of the host on the node at <paramref name="address"/>.</summary>
    public static ActorPath PathAt(Address address) => new RootActorPath(address) / "system" / Name;

    protected override void PreStart()
    {
        if (!Directory.Exists(_settings.LedgersDirectory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(_settings.LedgersDirectory))
        {
            var ledger = Path.GetFileName(directory);
            if (ActorPath.IsValidPathElement(ledger))
            {
                ReplicaOf(ledger);
            }
        }
    }

    // A copy that stopped (its log failed) is started again on the next request: its log decides whether it can serve.
    private IActorRef ReplicaOf(string ledger)
    {
        var child = Context.Child(ledger);
        return child.IsNobody()
            ? Context.ActorOf(LedgerReplica.Props(ledger, _settings.LedgerLog with { Directory = _settings.LedgerDirectory(ledger) }), ledger)
            : child;
    }

    // A copy whose log fails stops for good (fail-stop); restarting it in place would hide the fault.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);
}
