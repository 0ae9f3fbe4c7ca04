namespace WalActors.Persistence.Index;

/// <summary>
/// Events compaction dropped that lie next to each other in one key order of the index: in log order (<see cref="Tag"/>
/// is <see cref="LogOrder"/>) or in one tag's order. Their keys go as one range, <see cref="FromLsn"/> to
/// <see cref="ToLsn"/> inclusive.
/// </summary>
/// <remarks>
/// One range delete instead of a delete per event: a pass that drops millions of events wrote millions of point
/// tombstones, and RocksDB's own compaction of them took most of a core from the appends the pass must not slow
/// (docs/PERFORMANCE.md, "Compaction and the index's tombstones"). A run holds only events that were dropped: no event of
/// its key order that survived lies between its ends.
/// </remarks>
/// <param name="Tag">The tag's number, or <see cref="LogOrder"/>.</param>
/// <param name="FromLsn">The first dropped event's LSN.</param>
/// <param name="ToLsn">The last dropped event's LSN.</param>
internal readonly record struct DroppedRun(int Tag, long FromLsn, long ToLsn)
{
    /// <summary>The run is of the every-event keys, in log order.</summary>
    public const int LogOrder = -1;
}
