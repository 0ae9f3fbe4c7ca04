using Akka.Persistence.Query;

namespace WalActors;

/// <summary>What a <see cref="WalProjection"/> runs for each event of its query, one at a time, in the query's order.</summary>
public interface IWalProjectionHandler
{
    /// <summary>
    /// Handles one event; returns the events to write to the journal for it (often none). In
    /// <see cref="ProjectionMode.ExactlyOnce"/> they are written with the offset, atomically. An exception stops the
    /// projection with it (<see cref="WalProjectionHandle.Completion"/> faults); nothing after the last commit counts.
    /// </summary>
    /// <param name="envelope">The event, its persistence id, sequence number and offset.</param>
    /// <param name="cancellationToken">Cancelled when the projection is stopped.</param>
    Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}
