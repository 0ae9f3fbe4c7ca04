namespace WalActors.Persistence;

/// <summary>A durable delete: every event of <paramref name="PersistenceId"/> up to <paramref name="DeletedTo"/> is gone.</summary>
/// <param name="PersistenceId">The persistent actor's id.</param>
/// <param name="DeletedTo">The highest deleted sequence number (never above <paramref name="Highest"/>).</param>
/// <param name="Highest">
/// The persistence id's highest sequence number when it was deleted: kept so the highest number survives even if the
/// log someday drops the deleted events themselves.
/// </param>
internal readonly record struct JournalTombstone(string PersistenceId, long DeletedTo, long Highest);
