using Akka.Actor;

namespace WalActors.Persistence.Snapshots;

/// <summary>Creates the <see cref="SnapshotLogs"/> extension of an actor system.</summary>
internal sealed class SnapshotLogsProvider : ExtensionIdProvider<SnapshotLogs>
{
    public override SnapshotLogs CreateExtension(ExtendedActorSystem system) => new(system);
}
