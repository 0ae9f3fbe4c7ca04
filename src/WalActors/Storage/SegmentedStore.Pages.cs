namespace WalActors.Storage;

/// <summary>The writes that reach the segment files: whole pages only, split where a segment ends.</summary>
public sealed partial class SegmentedStore
{
    /// <summary>
    /// Told of every write that reaches a segment file, before it is issued: its offset in the log and its length. Tests
    /// use it to see that only whole pages are written.
    /// </summary>
    internal Action<long, int>? WriteObserver { get; set; }

    /// <summary>The boundary pages the store keeps now (for tests).</summary>
    internal BoundaryPages BoundaryPages => _boundaryPages;

    /// <summary>Writes whole pages from <paramref name="position"/>, into as many segments as they span.</summary>
    private void WritePages(long position, ReadOnlySpan<byte> bytes)
    {
        var remaining = bytes;
        while (!remaining.IsEmpty)
        {
            var segment = LeaseForWrite(position);
            try
            {
                var local = position - segment.BaseOffset;
                var count = (int)Math.Min(remaining.Length, segment.Size - local);
                if (segment.Layout is not null)
                {
                    throw new InvalidOperationException($"The log '{Directory}' was asked to write at {position}, inside a compacted segment.");
                }

                WriteObserver?.Invoke(position, count);
                PositionedIO.WriteAll(segment.Handle, local, remaining[..count], segment.FilePath);
                segment.MarkDirty();
                position += count;
                remaining = remaining[count..];
            }
            finally
            {
                segment.Release();
            }
        }
    }

    /// <summary>Reads the page at <paramref name="start"/> from its segment file, for a boundary page that holds earlier bytes.</summary>
    private int ReadPage(long start, Span<byte> page)
    {
        var segment = LeaseForWrite(start);
        try
        {
            return PositionedIO.ReadFill(segment.Handle, start - segment.BaseOffset, page, segment.FilePath);
        }
        finally
        {
            segment.Release();
        }
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);
}
