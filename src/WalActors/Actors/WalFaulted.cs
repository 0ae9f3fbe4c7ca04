namespace WalActors;

/// <summary>Published on the EventStream when a log stops accepting appends because recovery, a write or a barrier failed.</summary>
/// <param name="Log">The log's actor.</param>
/// <param name="Cause">What failed.</param>
public sealed record WalFaulted(Akka.Actor.IActorRef Log, WalException Cause);
