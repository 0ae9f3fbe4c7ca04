namespace WalActors.Storage;

/// <summary>
/// Keeping the log's recovery point (<see cref="RecoveryPointFile"/>): an LSN below which the log is known whole and
/// durable, with what a scan of everything before it found, so recovery scans only what follows. The store does not read
/// the body; it only makes sure that nothing it does to the bytes below that LSN leaves a recovery point describing
/// bytes that are no longer there.
/// </summary>
/// <remarks>
/// Truncation below the recovery point, and compaction of any segment, delete it (durably, before the bytes change) and
/// move <see cref="RecoveryPointEpoch"/> on, so a recovery point computed before cannot be written afterwards. Retention
/// keeps it: what it drops lies below the new head, which recovery checks the recovery point against.
/// </remarks>
public sealed partial class SegmentedStore : IRecoveryPointStore
{
    private long _recoveryPointEpoch;
    private long _recoveryPointEnd;

    /// <summary>Told after each durable step of writing the recovery point, with its name (tests copy the directory then).</summary>
    internal Action<string>? RecoveryPointStepDone { get; set; }

    /// <summary>
    /// Moves on whenever the bytes a recovery point describes may have changed (a compaction, a truncation below it): a
    /// recovery point computed from what was read under an earlier epoch is refused by <see cref="WriteRecoveryPoint"/>.
    /// </summary>
    internal long RecoveryPointEpoch
    {
        get
        {
            lock (_structure)
            {
                return _recoveryPointEpoch;
            }
        }
    }

    /// <summary>The recovery point stored with the log (its LSN and body), or null when there is none or it is unreadable.</summary>
    internal (long End, byte[] Body)? ReadRecoveryPoint() => RecoveryPointFile.Read(Directory);

    /// <summary>
    /// Replaces the recovery point with one at <paramref name="end"/>, durably, unless the epoch moved on since
    /// <paramref name="epoch"/> (then false, and nothing is written).
    /// </summary>
    /// <exception cref="WalIOException">The file system refused a step; the previous recovery point (or none) stays.</exception>
    internal bool WriteRecoveryPoint(long end, ReadOnlySpan<byte> body, long epoch)
    {
        EnsureWritable();

        // Written and synced outside the lock (a writer creating a segment must not wait behind it); only the epoch check
        // and the rename are under it, so a compaction or truncation either deletes the new file or refuses it.
        RecoveryPointFile.Prepare(Directory, end, body, RecoveryPointStepDone);
        lock (_structure)
        {
            ThrowIfDisposed();
            if (epoch != _recoveryPointEpoch || end > Length || end < Head)
            {
                RecoveryPointFile.Discard(Directory);
                return false;
            }

            RecoveryPointFile.Commit(Directory, RecoveryPointStepDone);
            _recoveryPointEnd = end;
        }

        DurabilityBarrier.FlushDirectory(Directory);
        RecoveryPointStepDone?.Invoke("recovery point directory synced");
        return true;
    }

    long IRecoveryPointStore.RecoveryPointEpoch => RecoveryPointEpoch;

    (long End, byte[] Body)? IRecoveryPointStore.ReadRecoveryPoint() => ReadRecoveryPoint();

    bool IRecoveryPointStore.WriteRecoveryPoint(long end, ReadOnlySpan<byte> body, long epoch) => WriteRecoveryPoint(end, body, epoch);

    void IRecoveryPointStore.KeepCachedFrom(long position) => Volatile.Write(ref _cacheKeptFrom, position);

    bool IRecoveryPointStore.IsCompacting => Volatile.Read(ref _compactionPasses) > 0;

    /// <summary>Deletes the recovery point and moves the epoch on; under the structure lock, before the bytes change.</summary>
    private void InvalidateRecoveryPoint()
    {
        _recoveryPointEpoch++;
        if (_recoveryPointEnd > 0)
        {
            RecoveryPointFile.Delete(Directory);
            _recoveryPointEnd = 0;
        }
    }

    /// <summary>Where the stored recovery point lies, for a store opened for writing: what truncation must not cut under.</summary>
    private void LoadRecoveryPointEnd()
    {
        // An unreadable file still names a position nothing may be cut under unnoticed: delete it on any truncation then.
        _recoveryPointEnd = RecoveryPointFile.Read(Directory)?.End
            ?? (File.Exists(Path.Combine(Directory, RecoveryPointFile.FileName)) ? long.MaxValue : 0);
    }
}
