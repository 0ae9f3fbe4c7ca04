using Akka.Actor;

namespace WalActors.Cluster.Replication;

/// <summary>What the writer knows of one copy of its ledger.</summary>
internal sealed class ReplicaCopy(IActorRef replica)
{
    /// <summary>Where the copy lives: a restarted replica is the same copy under a new actor incarnation.</summary>
    public ActorPath Path { get; } = replica.Path;

    /// <summary>The incarnation last heard from; live batches go to it, and its termination unaligns the copy.</summary>
    public IActorRef Replica { get; set; } = replica;

    /// <summary>The copy agrees with this writer's log up to <see cref="DurableEnd"/> and takes its live batches.</summary>
    public bool Aligned { get; set; }

    /// <summary>Every entry below it is durable on the copy as this writer sent it (meaningful once aligned).</summary>
    public long DurableEnd { get; set; }

    /// <summary>The copy is being sent what it lacks, read from the writer's local copy.</summary>
    public bool CatchingUp { get; set; }

    /// <summary>
    /// When the catch-up read, or the batch made from it, that is on its way was sent (monotonic milliseconds), or null:
    /// no second one starts meanwhile, and one unanswered for the timeout (a message lost) is given up.
    /// </summary>
    public long? InFlightSince { get; set; }

    public bool InFlight => InFlightSince is not null;

    /// <summary>The highest quorum end this writer sent the copy (in a batch or a <see cref="Commit"/>).</summary>
    public long NoticedEnd { get; set; }

    /// <summary>The catch-up waits for the writer's own copy to make more entries durable.</summary>
    public bool WaitingForLocal { get; set; }
}
