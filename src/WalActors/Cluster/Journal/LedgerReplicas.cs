using Akka.Actor;

namespace WalActors.Cluster.Journal;

/// <summary>
/// This node's keeper of ledger copies for the cluster journal (see <see cref="LedgerReplicasProvider"/>). The
/// actor system's <see cref="LedgerReplicaHost"/>, started once per system: every node of a cluster that uses the
/// cluster journal needs one, including nodes that persist nothing themselves, so it is an extension (started by
/// <c>akka.extensions</c> or <c>WithWalClusterPersistence</c>) rather than a part of the journal plugin, which Akka
/// starts only when a persistent actor first uses it.
/// </summary>
public sealed class LedgerReplicas : IExtension
{
    internal LedgerReplicas(ExtendedActorSystem system)
    {
        Settings = ClusterJournalSettings.From(system.Settings.Config);
        Host = system.SystemActorOf(LedgerReplicaHost.Props(Settings), LedgerReplicaHost.Name);
    }

    internal ClusterJournalSettings Settings { get; }

    internal IActorRef Host { get; }

    internal static LedgerReplicas Get(ActorSystem system) => system.WithExtension<LedgerReplicas, LedgerReplicasProvider>();
}
