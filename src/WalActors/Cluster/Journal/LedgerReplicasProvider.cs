using Akka.Actor;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Starts this node's ledger replica host, which keeps the node's copies of the cluster journal's ledgers. List it in
/// <c>akka.extensions</c> (<c>"WalActors.Cluster.Journal.LedgerReplicasProvider, WalActors"</c>) on every node when
/// configuring by HOCON; <c>WithWalClusterPersistence</c> starts it for you. Its settings are those at
/// <c>walactors.cluster.journal</c>.
/// </summary>
public sealed class LedgerReplicasProvider : ExtensionIdProvider<LedgerReplicas>
{
    /// <summary>Starts the host (once per actor system, by Akka's extension machinery).</summary>
    /// <exception cref="ArgumentException">A setting at <c>walactors.cluster.journal</c> is out of range; the message names it.</exception>
    public override LedgerReplicas CreateExtension(ExtendedActorSystem system) => new LedgerReplicas(system);
}
