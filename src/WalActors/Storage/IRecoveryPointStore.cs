namespace WalActors.Storage;

/// <summary>
/// A store that can keep a recovery point beside its bytes (<see cref="SegmentedStore"/>; the crash tests' store): an
/// LSN and a body, replaced atomically and durably, refused once the store's epoch moved on (the bytes it describes may
/// have changed), and gone when the store is cut below it.
/// </summary>
internal interface IRecoveryPointStore
{
    /// <summary>The span each recovery point summary covers: the segment size, or a span of the store's choosing.</summary>
    long SegmentSize { get; }

    /// <summary>Moves on whenever the bytes a recovery point describes may have changed.</summary>
    long RecoveryPointEpoch { get; }

    /// <summary>The stored recovery point (its LSN and body), or null when there is none or it is unreadable.</summary>
    (long End, byte[] Body)? ReadRecoveryPoint();

    /// <summary>Replaces the recovery point, durably, unless the epoch moved on since <paramref name="epoch"/> (then false).</summary>
    bool WriteRecoveryPoint(long end, ReadOnlySpan<byte> body, long epoch);

    /// <summary>
    /// A compaction pass is rewriting segments: each one it replaces moves the epoch on, so a scan from the head started
    /// now would be started again at the next segment; the recovery point waits for the pass to end and scans once.
    /// </summary>
    bool IsCompacting => false;

    /// <summary>
    /// The recovery point's scan has yet to read the bytes from <paramref name="position"/> on (long.MaxValue: it reads
    /// nothing more): a store that gives the page cache back keeps them, or the scan would read them from the device.
    /// </summary>
    void KeepCachedFrom(long position)
    {
    }
}
