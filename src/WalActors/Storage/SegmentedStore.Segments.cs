namespace WalActors.Storage;

/// <summary>Creating segment files (on demand, and ahead of the writes) and deleting them.</summary>
public sealed partial class SegmentedStore
{
    /// <summary>Creates the segment that holds <paramref name="position"/> (and any before it) unless it exists.</summary>
    internal void EnsureSegmentFor(long position)
    {
        EnsureWritable();
        if (_table.Find(position) is null)
        {
            CreateSegmentsThrough(position);
        }
    }

    private Segment LeaseForWrite(long position)
    {
        while (true)
        {
            var table = _table;
            var segment = table.Find(position);
            if (segment is null)
            {
                segment = CreateSegmentsThrough(position);
            }

            if (segment.TryAcquire())
            {
                return segment;
            }

            // Retired by a concurrent truncation: only possible below the head.
            if (position < Head)
            {
                throw new LogTruncatedException(position, Head);
            }
        }
    }

    private Segment CreateSegmentsThrough(long position)
    {
        lock (_structure)
        {
            ThrowIfDisposed();
            var table = _table;
            var found = table.Find(position);
            if (found is not null)
            {
                return found;
            }

            if (table.Count > 0 && position < table.Segments[0].BaseOffset)
            {
                throw new LogTruncatedException(position, table.Segments[0].BaseOffset);
            }

            var segments = new List<Segment>(table.Segments);
            // A log with no segment at all is new: it starts at offset 0.
            var next = table.Last?.EndOffset ?? 0;
            while (next <= position)
            {
                var handle = SegmentFile.Create(Directory, next, SegmentSize);
                var segment = new Segment(next, SegmentSize, handle, Path.Combine(Directory, SegmentFileNames.For(next)));
                try
                {
                    // Recorded before the segment is used: from now on a missing file here is damage, not a shorter log.
                    // A fresh file here is no recycled one, whatever an interrupted recycling recorded for the position.
                    var updated = _manifest.With(StoreManifest.LastSegmentProperty, next).Without([StoreManifest.RecycledKey(next)]);
                    updated.Write(Directory);
                    _manifest = updated;
                }
                catch (WalIOException e)
                {
                    segment.Release();
                    throw new WalIOException(SegmentFile.CreatingSegment, segment.FilePath, e, e.IsDiskFull);
                }
                catch
                {
                    segment.Release();
                    throw;
                }

                segments.Add(segment);
                _table = new SegmentTable([.. segments]);
                next += SegmentSize;
            }

            return _table.Last!;
        }
    }

    private void PrecreateNextSegment() => _preallocator.Request(_table.Last?.EndOffset ?? 0);

    private void DeleteSegments(Segment[] segments)
    {
        foreach (var segment in segments)
        {
            segment.Release();
            try
            {
                File.Delete(segment.FilePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StoreErrors.Wrap("deleting a segment file", segment.FilePath, e);
            }
        }

        DurabilityBarrier.FlushDirectory(Directory);
    }
}
