namespace WalActors;

/// <summary>
/// Reads up to <see cref="MaxRecords"/> records starting at <see cref="From"/>. The reply is a <see cref="ReadResult"/>,
/// or a <see cref="Akka.Actor.Status.Failure"/> with the typed error (<see cref="LogTruncatedException"/> below the head,
/// <see cref="InvalidLsnException"/> for a position that is not the start of a record, <see cref="WalStoppedException"/>
/// once the log has stopped), so <c>Ask&lt;ReadResult&gt;</c> throws it.
/// </summary>
/// <remarks>Immutable and checked when built, so a malformed read fails in the caller, never in the log.</remarks>
public sealed record Read
{
    /// <summary>A read of up to <paramref name="maxRecords"/> records from <paramref name="from"/>.</summary>
    /// <param name="from">A record boundary: the head, a record's LSN, or a <see cref="ReadResult.Next"/>.</param>
    /// <param name="maxRecords">The most records to return; at least 1.</param>
    /// <param name="level">Read only what is durable (the default), or also what is written but not yet durable.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecords"/> is not positive, or <paramref name="level"/> is not a defined value.</exception>
    public Read(Lsn from, int maxRecords, Durability level = Durability.Durable)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A read's level must be Durable or Written.");
        }

        From = from;
        MaxRecords = maxRecords;
        Level = level;
    }

    /// <summary>Where the read starts: a record boundary.</summary>
    public Lsn From { get; }

    /// <summary>The most records to return.</summary>
    public int MaxRecords { get; }

    /// <summary>Durable: only what is durable; Written: also what is written but not yet durable.</summary>
    public Durability Level { get; }
}
