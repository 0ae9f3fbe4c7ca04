namespace WalActors.Cluster.Replication;

/// <summary>
/// What a replica holds durably: for each ledger position the LSN of its entry in the local log, and the epochs the
/// entries were written in. Positions are dense from 0 (a replica's log is never trimmed yet), so the end is the count.
/// </summary>
internal sealed class ReplicaView
{
    private readonly List<Lsn> _positions = [];
    private readonly List<EpochStart> _history = [];

    public long End => _positions.Count;

    public IReadOnlyList<EpochStart> History => _history;

    public Lsn LsnOf(long position) => _positions[checked((int)position)];

    public void Append(long entryEpoch, Lsn lsn)
    {
        if (_history.Count == 0 || _history[^1].Epoch != entryEpoch)
        {
            _history.Add(new EpochStart(entryEpoch, End));
        }

        _positions.Add(lsn);
    }

    /// <summary>Forgets every position from <paramref name="position"/> on.</summary>
    public void Truncate(long position)
    {
        if (position >= End)
        {
            return;
        }

        _positions.RemoveRange(checked((int)position), _positions.Count - (int)position);
        _history.RemoveAll(s => s.Start >= position);
    }

    /// <summary>A copy of the history, safe to send while the view changes.</summary>
    public IReadOnlyList<EpochStart> HistorySnapshot() => [.. _history];
}
