namespace WalActors.Storage;

/// <summary>
/// Replacing a closed segment with a compacted one: only the bytes compaction keeps, each at its own position, so every
/// surviving record keeps its LSN; the dropped ranges read as zeros and <see cref="DataAtOrAfter"/> skips them.
/// </summary>
public sealed partial class SegmentedStore
{
    private long _layoutVersion;
    private int _compactionPasses;

    /// <inheritdoc />
    public long LayoutVersion => Volatile.Read(ref _layoutVersion);

    /// <summary>How many bytes the log's segment files hold (a compacted segment counts only what it kept).</summary>
    internal long BytesOnDisk => _table.Segments.Sum(s => s.Layout?.KeptBytes ?? s.Size);

    /// <inheritdoc />
    public long DataAtOrAfter(long offset)
    {
        var position = offset;
        var length = Length;
        while (position < length)
        {
            var segment = _table.Find(position);
            if (segment?.Layout is not { } layout)
            {
                return position;
            }

            var next = layout.DataAtOrAfter(position, segment.EndOffset);
            if (next < segment.EndOffset)
            {
                return next;
            }

            position = next;
        }

        return Math.Max(offset, Math.Min(position, length));
    }

    /// <summary>
    /// Marks a compaction pass (one or more <see cref="Compact"/> calls) as running until the result is disposed, so the
    /// recovery point scans the log again once after the pass rather than once per segment it rewrites.
    /// </summary>
    internal IDisposable BeginCompactionPass()
    {
        Interlocked.Increment(ref _compactionPasses);
        return new CompactionPass(this);
    }

    /// <summary>
    /// Replaces the segment that starts at <paramref name="baseOffset"/> with a file that holds only <paramref name="kept"/>,
    /// durably: the new file is written and synced under a temporary name, renamed into place, and only then is the old
    /// file deleted. Reads that are under way finish on the old file; later ones see the new layout.
    /// </summary>
    /// <remarks>
    /// The caller guarantees the segment is closed and durable (no write will reach it again), that every dropped range
    /// starts at a record start, and that what it keeps of a record that crosses the segment's ends is kept byte for byte.
    /// </remarks>
    /// <param name="baseOffset">The segment's base offset.</param>
    /// <param name="kept">What to keep, in increasing position (read as the new file is written).</param>
    /// <param name="commit">Asked once everything was written: false discards the new file and leaves the segment as it was.</param>
    /// <param name="beforeRename">A test's crash point: called once the new file is complete and synced.</param>
    /// <param name="atLockPriority">Runs the steps that take the store's structure lock, on a thread at the writers' priority
    /// (the pass's own may run lowered: a writer must not wait on a lock held by a thread the kernel starves); null runs
    /// them on the calling thread.</param>
    /// <returns>How many bytes the segment's file held before and after; false if it was not replaced (not committed, or
    /// retention dropped the segment meanwhile).</returns>
    /// <exception cref="InvalidOperationException">The segment is the last one, or not wholly written.</exception>
    /// <exception cref="WalIOException">The file system refused a step; the log is unchanged (the old file stays in use).</exception>
    internal (bool Replaced, long BytesBefore, long BytesAfter) Compact(
        long baseOffset, IEnumerable<KeptBytes> kept, Func<bool>? commit = null, Action? beforeRename = null, Action<Action>? atLockPriority = null)
    {
        EnsureWritable();
        var segment = CompactableSegment(baseOffset);
        var before = segment.Layout?.KeptBytes ?? segment.Size;
        if (CompactedSegmentFile.Write(Directory, baseOffset, SegmentSize, kept, () => Step(atLockPriority, () => Committed(commit)), beforeRename) is not var (path, layout))
        {
            return (false, before, before);
        }

        var replaced = Step(atLockPriority, () =>
        {
            lock (_structure)
            {
                ThrowIfDisposed();
                return Replace(segment, path, layout);
            }
        });
        if (!replaced)
        {
            SegmentFile.TryDelete(path);
            return (false, before, before);
        }

        return (true, before, layout.KeptBytes);
    }

    private static T Step<T>(Action<Action>? runner, Func<T> step)
    {
        if (runner is null)
        {
            return step();
        }

        T result = default!;
        runner(() => result = step());
        return result;
    }

    /// <summary>Whether the compacted file is to replace the segment; if so, the recovery point is deleted first.</summary>
    private bool Committed(Func<bool>? commit)
    {
        if (commit is not null && !commit())
        {
            return false;
        }

        lock (_structure)
        {
            // The recovery point counted the records this segment holds now: gone before the compacted file can take its
            // place, so no crash leaves one that disagrees with the segment.
            ThrowIfDisposed();
            InvalidateRecoveryPoint();
        }

        return true;
    }

    private Segment CompactableSegment(long baseOffset)
    {
        var table = _table;
        var segment = table.Find(baseOffset);
        if (segment is null || segment.BaseOffset != baseOffset)
        {
            throw new InvalidOperationException($"The log '{Directory}' has no segment at {baseOffset} to compact.");
        }

        if (ReferenceEquals(segment, table.Last) || segment.EndOffset > Length)
        {
            throw new InvalidOperationException($"The segment at {baseOffset} of '{Directory}' is still being written; only closed segments are compacted.");
        }

        return segment;
    }

    /// <summary>Swaps <paramref name="old"/> for the compacted file at <paramref name="path"/>; under the structure lock.</summary>
    private bool Replace(Segment old, string path, CompactedLayout layout)
    {
        var table = _table;
        var index = Array.IndexOf(table.Segments, old);
        if (index < 0)
        {
            return false;
        }

        var handle = SegmentFile.Open(path, readOnly: false);
        var segments = (Segment[])table.Segments.Clone();
        segments[index] = new Segment(old.BaseOffset, old.Size, handle, path, layout);
        _table = new SegmentTable(segments);
        Interlocked.Increment(ref _layoutVersion);
        _recoveryPointEpoch++;
        old.Release();
        if (!string.Equals(old.FilePath, path, StringComparison.Ordinal))
        {
            try
            {
                File.Delete(old.FilePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The compacted file is in place and durable; the whole one left behind is deleted at the next open.
                throw StoreErrors.Wrap("deleting a segment file compaction replaced", old.FilePath, e);
            }

            DurabilityBarrier.FlushDirectory(Directory);
        }

        return true;
    }

    /// <summary>
    /// The bytes the store holds in [<paramref name="from"/>, <paramref name="to"/>), one segment at a time, leaving out
    /// what compaction dropped: what a compaction keeps as it is.
    /// </summary>
    internal IEnumerable<KeptBytes> HeldBytes(long from, long to)
    {
        const int Chunk = 1024 * 1024;
        var position = DataAtOrAfter(from);
        while (position < to)
        {
            var segment = _table.Find(position) ?? throw new LogTruncatedException(position, Head);
            var runEnd = Math.Min(to, segment.EndOffset);
            if (segment.Layout is { } layout)
            {
                runEnd = Math.Min(runEnd, layout.KeptRunEnd(position));
            }

            var count = (int)Math.Min(Chunk, runEnd - position);
            var bytes = new byte[count];
            var read = ReadAt(position, bytes);
            if (read < count)
            {
                throw new WalIOException("reading a segment to compact", segment.FilePath, new IOException($"The log ends at {position + read}."), false);
            }

            yield return new KeptBytes(position, bytes);
            position = DataAtOrAfter(position + count);
        }
    }

    /// <summary>Truncation inside a compacted segment: rewrites it without the kept bytes at or after <paramref name="length"/>.</summary>
    private void ClipCompacted(Segment segment, long length)
    {
        var layout = segment.Layout!;
        var kept = new List<KeptBytes>();
        for (var i = 0; i < layout.ExtentCount; i++)
        {
            var (position, count) = layout.Extent(i);
            var end = Math.Min(position + count, length);
            if (end <= position)
            {
                break;
            }

            var bytes = new byte[end - position];
            layout.Render(segment.Handle, segment.FilePath, position, bytes);
            kept.Add(new KeptBytes(position, bytes));
        }

        var (path, clipped) = CompactedSegmentFile.Write(Directory, segment.BaseOffset, SegmentSize, kept)!.Value;
        Replace(segment, path, clipped);
    }

    private sealed class CompactionPass(SegmentedStore store) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Interlocked.Decrement(ref store._compactionPasses);
            }
        }
    }
}
