namespace WalActors;

/// <summary>
/// Reads up to <paramref name="MaxRecords"/> records starting at <paramref name="From"/>. The reply is a
/// <see cref="ReadResult"/>, or a <see cref="ReadFailed"/> (<see cref="LogTruncatedException"/> below the head,
/// <see cref="InvalidLsnException"/> for a position that is not the start of a record).
/// </summary>
/// <param name="From">A record boundary: the head, a record's LSN, or a <see cref="ReadResult.Next"/>.</param>
/// <param name="MaxRecords">The most records to return.</param>
/// <param name="Level">Read only what is durable (the default), or also what is written but not yet durable.</param>
public sealed record Read(Lsn From, int MaxRecords, Durability Level = Durability.Durable);
