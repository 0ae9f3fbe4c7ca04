using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>
/// Finds, past a log's valid end, the bytes this log wrote, as opposed to what a recycled segment still holds from its
/// former position: frames that validate at their LSN minus the distance the file moved (stale frames), and the start of
/// one that went on in the segment after its former one. Those are unwritten space: not a torn tail, nothing to zero.
/// </summary>
/// <remarks>
/// <para>Nothing this log wrote can pass for stale: a frame's checksum covers its LSN, so a frame valid where it lies is
/// never valid at another LSN too, and a frame cut by the segment's end counts as stale only if it is not valid where it
/// lies. So every frame of this log past the end, the only bytes a later crash could resurrect as records, is counted
/// and zeroed; what is left are bytes no scan can take for a record at their position.</para>
/// <para>Chunks are given in increasing order; a stale frame that runs into the next chunk is remembered.</para>
/// </remarks>
internal sealed class TailBytes
{
    private readonly IWalStore _store;
    private readonly IReadOnlyDictionary<long, long> _recycled;
    private readonly long _segmentSize;
    private readonly int _maxRecordSize;
    private readonly int _pageSize;
    private readonly List<(long Start, long End)> _staleFrames = [];
    private long _staleUntil;
    private int _staleCursor;
    private byte[] _frame = [];

    private TailBytes(IWalStore store, IReadOnlyDictionary<long, long> recycled, long segmentSize, int maxRecordSize)
    {
        _store = store;
        _recycled = recycled;
        _segmentSize = segmentSize;
        _maxRecordSize = maxRecordSize;
        _pageSize = segmentSize > 0 ? BoundaryPages.PageSizeFor(segmentSize) : (int)SegmentedStoreOptions.MinimumSegmentSize;
    }

    /// <summary>For <paramref name="store"/>: only a segmented store has recycled segments.</summary>
    public static TailBytes For(IWalStore store, int maxRecordSize) => store is SegmentedStore segmented
        ? new TailBytes(store, segmented.RecycledSegments, segmented.SegmentSize, maxRecordSize)
        : new TailBytes(store, new Dictionary<long, long>(), 0, maxRecordSize);

    /// <summary>The offset of the last byte in <paramref name="chunk"/> (read at <paramref name="chunkStart"/>) that this log wrote and is not zero, or -1.</summary>
    public long LastWritten(ReadOnlySpan<byte> chunk, long chunkStart)
    {
        _staleFrames.Clear();
        _staleCursor = 0;
        if (_recycled.Count == 0)
        {
            return LastNonZero(chunk, chunkStart);
        }

        long last = -1;
        var position = chunkStart;
        var end = chunkStart + chunk.Length;
        while (position < end)
        {
            var segmentBase = position / _segmentSize * _segmentSize;
            var pieceEnd = Math.Min(end, segmentBase + _segmentSize);
            var piece = chunk[(int)(position - chunkStart)..(int)(pieceEnd - chunkStart)];
            last = Math.Max(last, _recycled.TryGetValue(segmentBase, out var former)
                ? LastNotStale(piece, position, segmentBase, segmentBase - former)
                : LastNonZero(piece, position));
            position = pieceEnd;
        }

        return last;
    }

    /// <summary>
    /// Whether the bytes at <paramref name="position"/> of <paramref name="store"/> are a recycled segment's stale frame:
    /// unwritten space, where a reader that found no record is at the log's end, not at a position that is no record's.
    /// </summary>
    public static bool IsStaleFrameAt(IWalStore store, long position, int maxRecordSize)
    {
        var bytes = For(store, maxRecordSize);
        if (bytes._recycled.Count == 0)
        {
            return false;
        }

        var segmentBase = position / bytes._segmentSize * bytes._segmentSize;
        return bytes._recycled.TryGetValue(segmentBase, out var former)
            && bytes.StaleFrameSize([], position, position, segmentBase, segmentBase - former) is not null;
    }

    /// <summary>
    /// Where the stale frame that starts at <paramref name="position"/> ends, if the last <see cref="LastWritten"/> found
    /// one there; null otherwise. Asked in increasing order of position.
    /// </summary>
    public long? StaleFrameEnd(long position)
    {
        while (_staleCursor < _staleFrames.Count && _staleFrames[_staleCursor].Start < position)
        {
            _staleCursor++;
        }

        return _staleCursor < _staleFrames.Count && _staleFrames[_staleCursor].Start == position ? _staleFrames[_staleCursor].End : null;
    }

    private static long LastNonZero(ReadOnlySpan<byte> bytes, long start)
    {
        var last = bytes.LastIndexOfAnyExcept((byte)0);
        return last < 0 ? -1 : start + last;
    }

    /// <summary>The last non-zero byte of <paramref name="piece"/>, which lies in one recycled segment, outside its stale frames.</summary>
    private long LastNotStale(ReadOnlySpan<byte> piece, long pieceStart, long segmentBase, long moved)
    {
        long last = -1;
        var position = Math.Max(pieceStart, _staleUntil);
        var pieceEnd = pieceStart + piece.Length;
        while (position < pieceEnd)
        {
            var offset = (int)(position - pieceStart);
            var candidate = NextAlignedMagic(piece, offset, pieceStart);
            var gapEnd = candidate < 0 ? piece.Length : candidate;
            var previousLast = last;
            last = Math.Max(last, LastNonZero(piece[offset..gapEnd], position));
            if (candidate < 0)
            {
                break;
            }

            var at = pieceStart + candidate;
            if (StaleFrameSize(piece, pieceStart, at, segmentBase, moved) is { } size)
            {
                if (IsRemnant(piece[offset..candidate], position))
                {
                    last = previousLast;
                }

                position = at + size;
                _staleUntil = position;
                _staleFrames.Add((at, position));
            }
            else
            {
                var word = piece[candidate..Math.Min(piece.Length, candidate + FrameCodec.Alignment)];
                last = Math.Max(last, LastNonZero(word, at));
                position = at + FrameCodec.Alignment;
            }
        }

        return last;
    }

    /// <summary>
    /// Whether the non-zero bytes of <paramref name="gap"/> (at <paramref name="gapStart"/>, just before a stale frame)
    /// are the rest of a stale frame whose start a whole-page write zeroed: they begin at a page boundary with zeros
    /// before them in the gap, are shorter than the largest frame, and hold no frame valid where it lies.
    /// </summary>
    /// <remarks>
    /// The log writes whole pages, zero past its last byte, so after every crash inside a recycled segment the stale
    /// frame that crossed the end of the log's last page is left without its start; counting it would report a torn tail
    /// at every such recovery.
    /// </remarks>
    private bool IsRemnant(ReadOnlySpan<byte> gap, long gapStart)
    {
        var first = gap.IndexOfAnyExcept((byte)0);
        if (first < 0)
        {
            return false;
        }

        var start = gapStart + first;
        var pageStart = start & ~(long)(_pageSize - 1);
        if (pageStart < gapStart || gap.Length - first > FrameCodec.FrameSize(_maxRecordSize))
        {
            return false;
        }

        for (var at = start & ~(long)(FrameCodec.Alignment - 1); at < gapStart + gap.Length; at += FrameCodec.Alignment)
        {
            var frame = Read(at, FrameCodec.HeaderSize);
            if (FrameCodec.CheckHeader(frame, at, _maxRecordSize, out _, out var payloadLength) == FrameFault.None
                && ValidWhereItLies(at, FrameCodec.FrameSize(payloadLength)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The index of the first frame magic at or after <paramref name="from"/> at an aligned LSN, or -1.</summary>
    private static int NextAlignedMagic(ReadOnlySpan<byte> piece, int from, long pieceStart)
    {
        ReadOnlySpan<byte> magic = [FrameCodec.Magic0, FrameCodec.Magic1];
        while (from < piece.Length)
        {
            var found = piece[from..].IndexOf(magic);
            if (found < 0)
            {
                return -1;
            }

            var index = from + found;
            if ((pieceStart + index) % FrameCodec.Alignment == 0)
            {
                return index;
            }

            from = index + 1;
        }

        return -1;
    }

    /// <summary>How many bytes a stale frame at <paramref name="at"/> covers in its segment, or null when there is none.</summary>
    private long? StaleFrameSize(ReadOnlySpan<byte> piece, long pieceStart, long at, long segmentBase, long moved)
    {
        var former = at - moved;
        var header = Bytes(piece, pieceStart, at, FrameCodec.HeaderSize);
        if (FrameCodec.CheckHeader(header, former, _maxRecordSize, out _, out var payloadLength) != FrameFault.None)
        {
            return null;
        }

        var size = FrameCodec.FrameSize(payloadLength);
        var segmentEnd = segmentBase + _segmentSize;
        if (at + size > segmentEnd)
        {
            // The frame went on in the segment after its former one, so only its header can be checked here; it is stale
            // unless it is a valid frame of this log where it lies.
            return ValidWhereItLies(at, size) ? null : segmentEnd - at;
        }

        var frame = Bytes(piece, pieceStart, at, size);
        return frame.Length == size && FrameCodec.ChecksumMatches(frame, former) ? size : null;
    }

    private bool ValidWhereItLies(long at, int size)
    {
        var frame = Read(at, size);
        return frame.Length == size
            && FrameCodec.CheckHeader(frame, at, _maxRecordSize, out _, out var payloadLength) == FrameFault.None
            && FrameCodec.FrameSize(payloadLength) == size
            && FrameCodec.ChecksumMatches(frame, at);
    }

    /// <summary><paramref name="count"/> bytes from <paramref name="at"/>: from the piece when it holds them, else read (fewer only where the store ends).</summary>
    private ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> piece, long pieceStart, long at, int count)
    {
        var offset = (int)(at - pieceStart);
        return offset + count <= piece.Length ? piece.Slice(offset, count) : Read(at, count);
    }

    private ReadOnlySpan<byte> Read(long at, int count)
    {
        if (_frame.Length < count)
        {
            _frame = new byte[count];
        }

        return _frame.AsSpan(0, _store.ReadAt(at, _frame.AsSpan(0, count)));
    }
}
