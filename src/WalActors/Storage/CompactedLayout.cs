using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>
/// Where the bytes a compacted segment kept lie: a sorted table of extents (log position, length, place in the file).
/// Everything else of the segment's range was dropped and reads as zeros, a hole the store reports.
/// </summary>
/// <remarks>
/// Extents never overlap and never touch: the writer merges adjacent ones, so a position between two extents is always
/// inside a hole. The table is kept in memory, one entry per run of kept bytes, because rendering a read must not read
/// the table from the disk first.
/// </remarks>
internal sealed class CompactedLayout
{
    private readonly long[] _positions;
    private readonly int[] _lengths;
    private readonly long[] _fileOffsets;

    public CompactedLayout(long[] positions, int[] lengths, long dataStart)
    {
        _positions = positions;
        _lengths = lengths;
        _fileOffsets = new long[positions.Length];
        var offset = dataStart;
        for (var i = 0; i < positions.Length; i++)
        {
            _fileOffsets[i] = offset;
            offset += lengths[i];
            KeptBytes += lengths[i];
        }
    }

    /// <summary>How many bytes of the segment were kept.</summary>
    public long KeptBytes { get; }

    /// <summary>How many runs of kept bytes there are.</summary>
    public int ExtentCount => _positions.Length;

    /// <summary>The log position and length of extent <paramref name="index"/>.</summary>
    public (long Position, int Length) Extent(int index) => (_positions[index], _lengths[index]);

    /// <summary>
    /// Fills <paramref name="buffer"/> with the segment's bytes from log position <paramref name="position"/>: the kept
    /// bytes where extents lie, zeros in the holes.
    /// </summary>
    public void Render(SafeFileHandle file, string path, long position, Span<byte> buffer)
    {
        buffer.Clear();
        var end = position + buffer.Length;
        var first = FirstEndingAfter(position);
        var last = first;
        while (last < _positions.Length && _positions[last] < end)
        {
            last++;
        }

        if (first == last)
        {
            return;
        }

        // The extents a read overlaps lie back to back in the file: one read brings all of them.
        var fileStart = _fileOffsets[first] + Math.Max(0, position - _positions[first]);
        var lastIndex = last - 1;
        var fileEnd = _fileOffsets[lastIndex] + Math.Min(_lengths[lastIndex], end - _positions[lastIndex]);
        var span = (int)(fileEnd - fileStart);
        var staging = ArrayPool<byte>.Shared.Rent(span);
        try
        {
            var read = PositionedIO.ReadFill(file, fileStart, staging.AsSpan(0, span), path);
            if (read < span)
            {
                throw new WalIOException("reading a compacted segment", path,
                    new IOException($"The file ends at {fileStart + read}, inside the bytes it says it kept (to {fileEnd})."), false);
            }

            for (var i = first; i < last; i++)
            {
                var from = Math.Max(position, _positions[i]);
                var to = Math.Min(end, _positions[i] + _lengths[i]);
                var source = (int)(_fileOffsets[i] + (from - _positions[i]) - fileStart);
                staging.AsSpan(source, (int)(to - from)).CopyTo(buffer[(int)(from - position)..]);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    /// <summary>
    /// <paramref name="position"/> itself when it holds kept bytes; else the start of the next extent, or
    /// <paramref name="segmentEnd"/> when the hole runs to the end of the segment.
    /// </summary>
    public long DataAtOrAfter(long position, long segmentEnd)
    {
        var index = FirstEndingAfter(position);
        if (index == _positions.Length)
        {
            return segmentEnd;
        }

        return Math.Max(position, _positions[index]);
    }

    /// <summary>Where the run of kept bytes that holds <paramref name="position"/> ends; <paramref name="position"/> itself in a hole.</summary>
    public long KeptRunEnd(long position)
    {
        var index = FirstEndingAfter(position);
        return index < _positions.Length && _positions[index] <= position ? _positions[index] + _lengths[index] : position;
    }

    /// <summary>The first extent that ends after <paramref name="position"/>.</summary>
    private int FirstEndingAfter(long position)
    {
        int low = 0, high = _positions.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_positions[middle] + _lengths[middle] <= position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
