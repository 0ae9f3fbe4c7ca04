namespace WalActors.Storage;

/// <summary>
/// Opens the segment files of a log and checks them against its manifest before anything is read or written: the
/// segment that holds the head and every one after it up to the last segment the manifest says was created must be
/// there, contiguous and whole. Whatever fails is damage, named, and nothing is modified.
/// </summary>
internal static class SegmentDirectory
{
    /// <summary>Opens the segments from the head's on; for a writable log, deletes those wholly below the head.</summary>
    /// <remarks>
    /// Retention records the new head durably in the manifest before it deletes a file, so segments below the head are
    /// what a crash between the two left behind: they hold nothing the log still owns.
    /// </remarks>
    /// <param name="directory">The log's directory.</param>
    /// <param name="manifest">Its manifest.</param>
    /// <param name="head">The log's head.</param>
    /// <param name="readOnly">Open the files for reading only, and change nothing.</param>
    /// <param name="salvage">
    /// Instead of refusing: zero-extend a short segment (recovery then finds the lost bytes as damage and salvages around
    /// them) and move every segment after a missing one into <see cref="SalvagedSegmentsFolder"/>, kept, not deleted.
    /// </param>
    /// <exception cref="LogDamagedException">A segment is missing, misnamed or not the log's segment size.</exception>
    public static SegmentTable Open(string directory, StoreManifest manifest, long head, bool readOnly, bool salvage = false)
    {
        var segmentSize = manifest.SegmentSize;
        var headBase = head / segmentSize * segmentSize;
        var bases = ListBases(directory);
        foreach (var baseOffset in bases)
        {
            if (baseOffset % segmentSize != 0)
            {
                throw new LogDamagedException(directory, baseOffset,
                    $"segment file '{SegmentFileNames.For(baseOffset)}' does not start on a boundary of the log's {segmentSize}-byte segments");
            }
        }

        var compacted = ListCompactedBases(directory);
        if (!readOnly)
        {
            foreach (var stale in bases.Where(b => b < headBase))
            {
                SegmentFile.TryDelete(Path.Combine(directory, SegmentFileNames.For(stale)));
                SegmentFile.TryDelete(Path.Combine(directory, SegmentFileNames.ForCompacted(stale)));
            }
        }

        var live = bases.Where(b => b >= headBase).ToArray();
        var lastRequired = manifest.LastSegment;
        if (salvage && !readOnly)
        {
            live = SetAsideAfterGap(directory, live, headBase, segmentSize);
            lastRequired = live.Length > 0 ? live[^1] : null;
        }

        if (live.Length == 0)
        {
            if (lastRequired is { } required)
            {
                throw Missing(directory, Math.Max(headBase, required), "the manifest records it was created");
            }

            return SegmentTable.Empty;
        }

        if (live[0] != headBase && (lastRequired is not null || head > 0))
        {
            throw Missing(directory, headBase, $"it holds the log's head, LSN {head}");
        }

        for (var i = 1; i < live.Length; i++)
        {
            if (live[i] != live[i - 1] + segmentSize)
            {
                throw Missing(directory, live[i - 1] + segmentSize, "the segments before and after it exist");
            }
        }

        if (lastRequired is { } last && live[^1] < last)
        {
            throw Missing(directory, live[^1] + segmentSize, $"the manifest records segments up to '{SegmentFileNames.For(last)}'");
        }

        var segments = new List<Segment>(live.Length);
        try
        {
            foreach (var baseOffset in live)
            {
                if (compacted.Contains(baseOffset))
                {
                    segments.Add(OpenCompacted(directory, baseOffset, segmentSize, readOnly));
                    continue;
                }

                var path = Path.Combine(directory, SegmentFileNames.For(baseOffset));
                var handle = SegmentFile.Open(path, readOnly);
                segments.Add(new Segment(baseOffset, segmentSize, handle, path));

                // Creation goes through a rename after the whole file is written, so a file of another size was cut or
                // extended by something outside the log (or the manifest's segment size was edited).
                var actual = RandomAccess.GetLength(handle);
                if (salvage && !readOnly && actual < segmentSize)
                {
                    SegmentFile.WriteZeros(handle, actual, segmentSize, path);
                    DurabilityBarrier.Flush(handle, path);
                    actual = segmentSize;
                }

                if (actual != segmentSize)
                {
                    throw new LogDamagedException(directory, baseOffset,
                        $"segment file '{SegmentFileNames.For(baseOffset)}' is {actual} bytes, but every segment of this log is {segmentSize} bytes");
                }
            }
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Release();
            }

            throw;
        }

        return new SegmentTable([.. segments]);
    }

    /// <summary>Where salvage keeps the segment files it takes out of a log because one before them is missing.</summary>
    public const string SalvagedSegmentsFolder = "salvaged-segments";

    /// <summary>Moves the segments after the first missing one out of the log; returns those that stay.</summary>
    private static long[] SetAsideAfterGap(string directory, long[] live, long headBase, long segmentSize)
    {
        var keep = 0;
        while (keep < live.Length && live[keep] == headBase + keep * segmentSize)
        {
            keep++;
        }

        if (keep == live.Length)
        {
            return live;
        }

        var aside = Path.Combine(directory, SalvagedSegmentsFolder);
        System.IO.Directory.CreateDirectory(aside);
        foreach (var baseOffset in live[keep..])
        {
            foreach (var name in new[] { SegmentFileNames.For(baseOffset), SegmentFileNames.ForCompacted(baseOffset) })
            {
                if (File.Exists(Path.Combine(directory, name)))
                {
                    File.Move(Path.Combine(directory, name), Path.Combine(aside, name), overwrite: false);
                }
            }
        }

        DurabilityBarrier.FlushDirectory(aside);
        DurabilityBarrier.FlushDirectory(directory);
        return live[..keep];
    }

    /// <summary>The base offsets of every segment in <paramref name="directory"/>, whole or compacted, in order.</summary>
    public static long[] ListBases(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.Extension)
            .Select(path => SegmentFileNames.TryParse(Path.GetFileName(path), out var b) ? b : -1)
            .Concat(ListCompactedBases(directory))
            .Where(b => b >= 0)
            .Distinct()
            .Order()
            .ToArray();

    private static HashSet<long> ListCompactedBases(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.CompactedExtension)
            .Select(path => SegmentFileNames.TryParseCompacted(Path.GetFileName(path), out var b) ? b : -1)
            .Where(b => b >= 0)
            .ToHashSet();

    /// <summary>
    /// Opens a compacted segment. Its file is renamed into place only once complete and synced, so where the whole
    /// segment's file is still there too, a crash came between that rename and the deletion that follows it: the whole
    /// file holds nothing the compacted one lacks that the log still needs, and a writable open finishes the deletion.
    /// </summary>
    public static Segment OpenCompacted(string directory, long baseOffset, long segmentSize, bool readOnly)
    {
        var path = Path.Combine(directory, SegmentFileNames.ForCompacted(baseOffset));
        var (handle, layout) = CompactedSegmentFile.Open(path, baseOffset, segmentSize, readOnly);
        var whole = Path.Combine(directory, SegmentFileNames.For(baseOffset));
        if (!readOnly && File.Exists(whole))
        {
            try
            {
                File.Delete(whole);
                DurabilityBarrier.FlushDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or WalIOException)
            {
                handle.Dispose();
                throw StoreErrors.Wrap("deleting a segment file compaction replaced", whole, e);
            }
        }

        return new Segment(baseOffset, segmentSize, handle, path, layout);
    }

    private static LogDamagedException Missing(string directory, long baseOffset, string why) =>
        new(directory, baseOffset, $"segment file '{SegmentFileNames.For(baseOffset)}' is missing, yet {why}");
}
