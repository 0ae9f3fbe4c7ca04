namespace WalActors.Cluster.Replication;

/// <summary>
/// Where two copies of a ledger part, from the epochs their entries were written in (Kafka's truncation by leader
/// epoch). Every copy is a prefix of the log of the writer of its last entry's epoch, so a copy whose last entry is of
/// epoch e agrees with a reference copy up to where e's run ends in the reference, and no further than its own end.
/// </summary>
internal static class EpochHistory
{
    /// <summary>The epoch of the last entry, or -1 for an empty copy.</summary>
    public static long LastEpoch(IReadOnlyList<EpochStart> history) => history.Count == 0 ? -1 : history[^1].Epoch;

    /// <summary>
    /// The first position at which a copy (<paramref name="end"/> entries, last of epoch <paramref name="lastEpoch"/>)
    /// may differ from the reference (<paramref name="reference"/>, <paramref name="referenceEnd"/> entries).
    /// </summary>
    public static long Divergence(IReadOnlyList<EpochStart> reference, long referenceEnd, long end, long lastEpoch)
    {
        if (lastEpoch < 0)
        {
            return 0;
        }

        // The end of lastEpoch's run in the reference: where the first later epoch starts, else the reference's end.
        var runEnd = referenceEnd;
        foreach (var start in reference)
        {
            if (start.Epoch > lastEpoch)
            {
                runEnd = start.Start;
                break;
            }
        }

        return Math.Min(Math.Min(end, runEnd), referenceEnd);
    }

    /// <summary>Whether copy (<paramref name="end"/>, <paramref name="history"/>) is a better recovery source than the other: the later last epoch, then the longer.</summary>
    public static bool IsAhead(long end, IReadOnlyList<EpochStart> history, long otherEnd, IReadOnlyList<EpochStart> otherHistory)
    {
        var (epoch, otherEpoch) = (LastEpoch(history), LastEpoch(otherHistory));
        return epoch != otherEpoch ? epoch > otherEpoch : end > otherEnd;
    }
}
