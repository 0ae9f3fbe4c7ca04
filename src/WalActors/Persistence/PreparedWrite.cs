namespace WalActors.Persistence;

/// <summary>One <c>AtomicWrite</c>, serialized and encoded, ready to go to the log as one atomic batch.</summary>
/// <param name="PersistenceId">Whose events these are.</param>
/// <param name="SequenceNrs">Each event's sequence number.</param>
/// <param name="Tags">Each event's tags.</param>
/// <param name="Records">Each event's encoded record.</param>
internal sealed record PreparedWrite(
    string PersistenceId,
    long[] SequenceNrs,
    IReadOnlyCollection<string>[] Tags,
    ReadOnlyMemory<byte>[] Records);
