using Akka.Actor;

namespace WalActors.Cluster.Replication;

/// <summary>
/// The batches of one writer a copy writes in one log append (<see cref="LedgerReplica"/>): their records, the answer
/// each sender gets once they are durable, and where the copy's view and committed end will be after them, so that the
/// next batch can join as if the ones before it were written. Only a batch of the same writer that starts within what
/// the group holds joins, and none after anything else arrived (see <see cref="Close"/>).
/// </summary>
internal sealed class BatchGroup(long epoch, long end, long committed)
{
    // Well below the ledger-copy log's max-batch-size (an append past it fails, and a copy whose write fails stops).
    private const long MaxBytes = 4L * 1024 * 1024;

    private readonly List<ReadOnlyMemory<byte>> _records = [];
    private readonly List<(IActorRef To, Func<object> Reply)> _replies = [];
    private long _bytes;
    private bool _closed;

    public long Epoch { get; } = epoch;

    /// <summary>The copy's view end once the group is written.</summary>
    public long End { get; set; } = end;

    /// <summary>The copy's committed end once the group is written.</summary>
    public long Committed { get; set; } = committed;

    public IReadOnlyList<ReadOnlyMemory<byte>> Records => _records;

    public IReadOnlyList<(IActorRef To, Func<object> Reply)> Replies => _replies;

    /// <summary>Whether <paramref name="batch"/> can join: the group's writer, no gap, room left, nothing waiting before it.</summary>
    public bool Takes(ReplicateBatch batch) =>
        !_closed && batch.Epoch == Epoch && batch.First <= End && _bytes + batch.Entries.Sum(e => (long)e.Payload.Length) <= MaxBytes;

    public void Add(IReadOnlyList<ReadOnlyMemory<byte>> records, IActorRef sender, object reply)
    {
        _records.AddRange(records);
        _bytes += records.Sum(r => (long)r.Length);
        _replies.Add((sender, () => reply));
    }

    /// <summary>A message that cannot join arrived: later batches wait behind it rather than overtake it.</summary>
    public void Close() => _closed = true;
}
