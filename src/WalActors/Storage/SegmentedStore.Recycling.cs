namespace WalActors.Storage;

/// <summary>
/// Recycling the segments retention drops: renamed into the next positions instead of deleted (as RocksDB's
/// <c>recycle_log_file_num</c> and PostgreSQL's <c>wal_recycle</c> do), so appending in steady state neither creates
/// nor zero-fills a file, and the blocks stay written ones, which barriers flush at the cheap cost.
/// </summary>
/// <remarks>
/// <para>A recycled file still holds the frames of the position it had. They cannot be read as records here: a frame's
/// checksum covers its own LSN, so it validates only where it was written. The manifest records each recycled segment's
/// former base (<see cref="StoreManifest.RecycledPrefix"/>), durably, before the file is renamed, so recovery can tell
/// such a stale frame (valid at its LSN minus the distance it moved) from a torn write, and treat it as unwritten space:
/// it neither reports megabytes of them as a torn tail nor has a truncation zero them.</para>
/// <para>The bytes before the first frame that starts in the segment (the rest of a frame begun in the segment before
/// it) would look like neither; they are zeroed before the rename. A segment whose first record start is not known, that
/// a read still holds, or that compaction rewrote (its file is smaller and laid out differently), is deleted as before.</para>
/// <para>Crash safety: the head moves first (as for a deletion), then the manifest records the recycled positions, then
/// the files are renamed (one atomic rename each) and the directory synced, and only then is the last segment recorded.
/// A crash before a rename leaves the old name below the head (deleted at the next open) and an entry with no file
/// (forgotten at the next open); after it, a file past the recorded last segment, which the next open accepts as it
/// accepts a precreated one.</para>
/// </remarks>
public sealed partial class SegmentedStore
{
    private int _recycleSegments;

    /// <summary>
    /// Told after each durable step of a recycling, with its name: what a process killed right then leaves in the
    /// directory is exactly what is there now (the kernel keeps every completed write), so tests copy it and open the copy.
    /// </summary>
    internal Action<string>? RecyclingStepDone { get; set; }

    /// <summary>The recycled segments of the log: each one's base offset, and the base its frames were written at.</summary>
    internal IReadOnlyDictionary<long, long> RecycledSegments => _manifest.RecycledSegments;

    /// <summary>Keeps up to the configured number of <paramref name="dropped"/> segments as the next ones; deletes the others.</summary>
    /// <remarks>Called under the structure lock, once the head has moved past them and they left the table.</remarks>
    private void RetireSegments(Segment[] dropped)
    {
        var spare = _table.Segments.Count(s => s.BaseOffset > Length);
        var kept = new List<(Segment Segment, long FirstRecord)>();
        foreach (var segment in dropped)
        {
            if (kept.Count >= _recycleSegments - spare)
            {
                break;
            }

            // A compacted segment's file holds only some of its range, in a layout of its own: not a segment to write into.
            if (segment.Layout is null && _recordStarts.FirstBetween(segment.BaseOffset, segment.EndOffset - 1) is { } first
                && segment.TryRetireUnused())
            {
                kept.Add((segment, first));
            }
        }

        RecyclingStepDone?.Invoke("head recorded");
        DeleteSegments([.. dropped.Where(s => !kept.Exists(k => ReferenceEquals(k.Segment, s)))]);
        RecyclingStepDone?.Invoke("others deleted");
        if (kept.Count > 0)
        {
            Recycle(kept);
        }
    }

    private void Recycle(List<(Segment Segment, long FirstRecord)> kept)
    {
        var next = _table.Last!.EndOffset;
        var recorded = _manifest;
        for (var i = 0; i < kept.Count; i++)
        {
            recorded = recorded.With(StoreManifest.RecycledKey(next + i * SegmentSize), kept[i].Segment.BaseOffset);
        }

        recorded.Write(Directory);
        _manifest = recorded;
        RecyclingStepDone?.Invoke("recycled positions recorded");

        var renamed = new List<Segment>();
        try
        {
            foreach (var (segment, firstRecord) in kept)
            {
                var path = Path.Combine(Directory, SegmentFileNames.For(next));
                ClearFragment(segment, firstRecord);
                RecyclingStepDone?.Invoke($"fragment of {segment.BaseOffset} cleared");
                MoveSegmentFile(segment.FilePath, path);
                RecyclingStepDone?.Invoke($"{segment.BaseOffset} renamed to {next}");
                renamed.Add(new Segment(next, SegmentSize, SegmentFile.Open(path, readOnly: false), path));
                next += SegmentSize;
            }
        }
        finally
        {
            // A file not renamed (a failure above) is below the head: deleted, now or by the next open.
            foreach (var (segment, _) in kept.Skip(renamed.Count))
            {
                segment.Handle.Dispose();
                SegmentFile.TryDelete(segment.FilePath);
            }

            DurabilityBarrier.FlushDirectory(Directory);
            if (renamed.Count > 0)
            {
                _table = new SegmentTable([.. _table.Segments, .. renamed]);
                var updated = _manifest.With(StoreManifest.LastSegmentProperty, renamed[^1].BaseOffset);
                updated.Write(Directory);
                _manifest = updated;
                RecyclingStepDone?.Invoke("last segment recorded");
            }
        }
    }

    /// <summary>Zeroes, durably, what precedes the first record start of a segment about to be recycled, and closes its handle.</summary>
    private static void ClearFragment(Segment segment, long firstRecord)
    {
        try
        {
            var fragment = firstRecord - segment.BaseOffset;
            if (fragment > 0)
            {
                SegmentFile.WriteZeros(segment.Handle, 0, fragment, segment.FilePath);
                DurabilityBarrier.Flush(segment.Handle, segment.FilePath);
            }
        }
        finally
        {
            segment.Handle.Dispose();
        }
    }

    private static void MoveSegmentFile(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("recycling a segment file", to, e);
        }
    }

    /// <summary>The manifest without the recycled entries of positions the log has no segment at (a crash before the rename).</summary>
    private static StoreManifest ForgetRecycledWithoutFiles(string directory, StoreManifest manifest, SegmentTable table)
    {
        var orphans = manifest.RecycledSegments.Keys.Where(b => table.Find(b) is null).Select(StoreManifest.RecycledKey).ToArray();
        if (orphans.Length == 0)
        {
            return manifest;
        }

        var updated = manifest.Without(orphans);
        updated.Write(directory);
        return updated;
    }
}
