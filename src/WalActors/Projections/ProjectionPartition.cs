namespace WalActors;

/// <summary>
/// Which share of a projection's slices one instance handles: instance <see cref="Index"/> of <see cref="Count"/>
/// owns a contiguous range of the <see cref="WalProjectionOptions.SliceCount"/> slices. Every persistence id belongs to one
/// slice (a stable hash of the id), and every slice has its own offset, so instances never handle each other's events and
/// a new count takes over each slice exactly where the last instance that owned it committed.
/// </summary>
/// <remarks>
/// The instances of one count must all be stopped (<see cref="WalProjectionHandle.StopAsync"/>) before those of another
/// count start: two instances owning one slice at once would both handle its events. Within one actor system
/// <see cref="WalProjection.Start"/> refuses such an instance; across processes nothing checks it.
/// </remarks>
public sealed record ProjectionPartition
{
    /// <summary>Instance <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or <paramref name="index"/> is not in [0, count).</exception>
    public ProjectionPartition(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    /// <summary>This instance's number, from 0.</summary>
    public int Index { get; }

    /// <summary>How many instances share the slices.</summary>
    public int Count { get; }

    /// <summary>The slices this instance owns, of <paramref name="sliceCount"/>: [Index·S/Count, (Index+1)·S/Count).</summary>
    public IEnumerable<int> SlicesOf(int sliceCount) => Enumerable.Range(Index * sliceCount / Count, ((Index + 1) * sliceCount / Count) - (Index * sliceCount / Count));
}
