namespace WalActors;

/// <summary>Published on the EventStream when a log has recovered and accepts appends.</summary>
/// <param name="Log">The log's actor.</param>
/// <param name="Report">What recovery found and did.</param>
public sealed record WalReady(Akka.Actor.IActorRef Log, RecoveryReport Report);
