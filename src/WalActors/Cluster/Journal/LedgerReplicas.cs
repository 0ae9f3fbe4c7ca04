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
    private readonly Lazy<ShardLedgers> _ledgers;

    internal LedgerReplicas(ExtendedActorSystem system)
    {
        Settings = ClusterJournalSettings.From(system.Settings.Config);
        Host = system.SystemActorOf(LedgerReplicaHost.Props(Settings), LedgerReplicaHost.Name);

        // Only a node that persists opens ledgers for writing, and that needs its etcd client and cluster address.
        _ledgers = new Lazy<ShardLedgers>(() => new ShardLedgers(system, Settings, Host));
    }

    internal ClusterJournalSettings Settings { get; }

    internal IActorRef Host { get; }

    /// <summary>The ledgers this node writes, shared by the cluster journal and snapshot store.</summary>
    internal ShardLedgers Ledgers => _ledgers.Value;

    internal static LedgerReplicas Get(ActorSystem system) => system.WithExtension<LedgerReplicas, LedgerReplicasProvider>();
}
