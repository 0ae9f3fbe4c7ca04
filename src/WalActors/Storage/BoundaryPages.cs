namespace WalActors.Storage;

/// <summary>
/// Makes every write that reaches a segment file cover whole pages, so that the kernel never reads a page from the
/// device to merge a partial write into it (segments are zero-filled around the page cache, so none of their pages is
/// cached: each buffered write that covered part of a page cost a synchronous read inside <c>pwrite</c>).
/// </summary>
/// <remarks>
/// <para>A write's first and last pages, when it covers them only in part, are boundary pages, shared with the writes
/// next to it, which other writer threads may be writing at the same moment, in either order. Each is kept in memory
/// while any of its bytes is still to come: a writer copies its bytes into the page and writes the whole page, under the
/// page's lock, so every write of the page carries the union of all bytes contributed so far and the last one leaves
/// the file with everything, whatever the order. A page is forgotten once every byte of it was contributed.</para>
/// <para>A page is zero where nothing was contributed, unless the file may hold bytes of it this map does not: below
/// <c>writtenBelow</c> (the log's last partial page after an open or a truncation; every page written whole or
/// completed since, contiguously) or in a page written whole or completed beyond it. Such a page is read from the file
/// once, when first touched (it was just written or read by recovery, so it is cached and costs no device read). Only
/// what was written decides this, never the store's length: a length read by one writer while another's write of the
/// same page was still in flight once made the first treat a completed page as zeros and erase the second's bytes.
/// Elsewhere zeros are what the store's contract says unwritten bytes are; in a recycled segment they also clear the
/// stale bytes of the page.</para>
/// <para>The map is bounded: pages a failed write left forever incomplete would otherwise stay. Past
/// <see cref="MaxPages"/>, the lowest half is written out (each write already did) and forgotten, and
/// <c>writtenBelow</c> rises past them, so a write that still comes for one reads the page from the file first:
/// slower, never wrong.</para>
/// <para>Rewriting a page's earlier bytes with the same values costs nothing in safety: the kernel's writeback writes
/// whole pages anyway, whatever part of one a buffered write dirtied.</para>
/// </remarks>
internal sealed class BoundaryPages
{
    /// <summary>The most pages kept by default: far above the few a healthy log has in flight (two per write).</summary>
    public const int DefaultMaxPages = 1024;

    /// <summary>Writes a whole page at its start offset in the log.</summary>
    public delegate void PageWriter(long start, ReadOnlySpan<byte> page);

    /// <summary>Reads a page from its start offset in the log; returns the bytes read, short only where the file ends.</summary>
    public delegate int PageReader(long start, Span<byte> page);

    private readonly Lock _map = new();
    private readonly Dictionary<long, BoundaryPage> _pages = [];
    private readonly SortedDictionary<long, long> _writtenAhead = [];
    private readonly Stack<BoundaryPage> _free = new();
    private readonly PageWriter _write;
    private readonly PageReader _read;
    private long _writtenBelow;

    /// <param name="pageSize">The page size, a power of two.</param>
    /// <param name="writtenBelow">Below this offset the file may hold bytes written before (by another process).</param>
    /// <param name="write">Writes a whole page to the file.</param>
    /// <param name="read">Reads a page from the file.</param>
    /// <param name="maxPages">How many pages may be kept before the lowest are forgotten.</param>
    public BoundaryPages(int pageSize, long writtenBelow, PageWriter write, PageReader read, int maxPages = DefaultMaxPages)
    {
        PageSize = pageSize;
        MaxPages = maxPages;
        _writtenBelow = writtenBelow;
        _write = write;
        _read = read;
    }

    public int PageSize { get; }

    public int MaxPages { get; }

    /// <summary>The pages kept now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_map)
            {
                return _pages.Count;
            }
        }
    }

    /// <summary>
    /// The page size a log with <paramref name="segmentSize"/>-byte segments uses: the system's, unless a segment is not
    /// a whole number of them (a page must never straddle two files); then 4 KiB, which every segment size is a multiple of.
    /// </summary>
    public static int PageSizeFor(long segmentSize) =>
        segmentSize % Environment.SystemPageSize == 0 ? Environment.SystemPageSize : (int)SegmentedStoreOptions.MinimumSegmentSize;

    /// <summary>
    /// Writes <paramref name="bytes"/>, which lie within one page and do not cover it whole, by writing that whole page.
    /// If the write fails, the bytes count as not contributed (a retry contributes them again), though they may still
    /// reach the file with a later write of the page, as part of a failed <c>pwrite</c> may.
    /// </summary>
    /// <param name="offset">Where the bytes go in the log.</param>
    /// <param name="bytes">The bytes, within one page.</param>
    /// <remarks>
    /// A page not kept that was written before (whole, or completed and forgotten) is read from the file first, so an
    /// overwrite keeps its neighbours, and forgotten again after the write.
    /// </remarks>
    public void Write(long offset, ReadOnlySpan<byte> bytes)
    {
        var start = offset & ~(long)(PageSize - 1);
        var inPage = (int)(offset - start);
        while (true)
        {
            var (page, victims) = Enter(start);
            if (victims is not null)
            {
                Forget(victims);
            }

            lock (page.Gate)
            {
                if (page.Retired || page.Start != start)
                {
                    // Forgotten between the look-up and the lock: the next look-up finds or makes its successor.
                    continue;
                }

                if (!page.Ready)
                {
                    Prepare(page);
                }

                bytes.CopyTo(page.Buffer.AsSpan(inPage));
                page.Contributed += bytes.Length;
                try
                {
                    _write(start, page.Buffer);
                }
                catch
                {
                    page.Contributed -= bytes.Length;
                    throw;
                }

                if (page.Contributed >= PageSize)
                {
                    Complete(page);
                }

                return;
            }
        }
    }

    /// <summary>Forgets every page and says what the file holds now: bytes below <paramref name="writtenBelow"/>, nothing after.</summary>
    /// <remarks>For a truncation: no write runs concurrently, so none can be holding a page forgotten here.</remarks>
    public void Reset(long writtenBelow)
    {
        BoundaryPage[] forgotten;
        lock (_map)
        {
            forgotten = [.. _pages.Values];
            _pages.Clear();
            _writtenAhead.Clear();
            _writtenBelow = writtenBelow;
        }

        Retire(forgotten);
    }

    /// <summary>Forgets the pages that end at or before <paramref name="position"/>: retention dropped their segments.</summary>
    public void ForgetBelow(long position)
    {
        BoundaryPage[] forgotten;
        lock (_map)
        {
            forgotten = _pages.Values.Where(p => p.Start + PageSize <= position).ToArray();
            foreach (var page in forgotten)
            {
                _pages.Remove(page.Start);
            }
        }

        Retire(forgotten);
    }

    /// <summary>Whole pages from <paramref name="start"/> to <paramref name="end"/> (page-aligned) are in the file now.</summary>
    public void MarkWritten(long start, long end)
    {
        lock (_map)
        {
            Written(start, end);
        }
    }

    private (BoundaryPage Page, BoundaryPage[]? Victims) Enter(long start)
    {
        lock (_map)
        {
            if (_pages.TryGetValue(start, out var page))
            {
                return (page, null);
            }

            page = _free.Count > 0 ? _free.Pop() : new BoundaryPage(PageSize);

            // A page the file holds whole (written before, or completed and forgotten) counts as contributed in full: it
            // is read first and forgotten after this write, which may be an overwrite.
            var known = IsWrittenAhead(start) ? PageSize : (int)Math.Clamp(_writtenBelow - start, 0, PageSize);

            page.Reset(start, mustLoad: known > 0, contributed: known);
            _pages.Add(start, page);
            if (_pages.Count <= MaxPages)
            {
                return (page, null);
            }

            var victims = _pages.Values.Where(p => !ReferenceEquals(p, page)).OrderBy(p => p.Start).Take(_pages.Count / 2).ToArray();
            return (page, victims);
        }
    }

    private void Prepare(BoundaryPage page)
    {
        if (page.MustLoad)
        {
            // Prepared before its first contribution, so what is counted is what the file holds of the log; past it (the
            // rest of the page a truncation cut) are bytes that are not the log's, stale ones in a recycled segment.
            var read = _read(page.Start, page.Buffer);
            page.Buffer.AsSpan(Math.Min(read, page.Contributed)).Clear();
        }
        else
        {
            Array.Clear(page.Buffer);
        }

        page.Ready = true;
    }

    /// <summary>Called under the page's lock once all of it was contributed.</summary>
    private void Complete(BoundaryPage page)
    {
        page.Retired = true;
        lock (_map)
        {
            _pages.Remove(page.Start);
            Written(page.Start, page.Start + PageSize);

            // Only a page that started as zeros can be reused at once: its contributions are disjoint and add up to
            // its size, so no other writer can still hold it. A page read from the file was counted as written in
            // full from the start, and a writer filling a hole in it may still be on its way to the lock.
            if (!page.MustLoad)
            {
                _free.Push(page);
            }
        }
    }

    /// <summary>Forgets <paramref name="victims"/> (the map is over its bound); a later write of one reads it from the file.</summary>
    private void Forget(BoundaryPage[] victims)
    {
        foreach (var page in victims)
        {
            lock (page.Gate)
            {
                if (page.Retired)
                {
                    continue;
                }

                page.Retired = true;
                lock (_map)
                {
                    if (_pages.TryGetValue(page.Start, out var current) && ReferenceEquals(current, page))
                    {
                        _pages.Remove(page.Start);
                    }

                    _writtenBelow = Math.Max(_writtenBelow, page.Start + PageSize);
                }
            }
        }
    }

    // Under _map: [start, end) is in the file. The contiguous part joins writtenBelow; the rest waits in _writtenAhead
    // (a few ranges: those of the writes in flight).
    private void Written(long start, long end)
    {
        if (start > _writtenBelow)
        {
            _writtenAhead[start] = Math.Max(end, _writtenAhead.GetValueOrDefault(start));
            return;
        }

        _writtenBelow = Math.Max(_writtenBelow, end);
        while (_writtenAhead.Count > 0 && _writtenAhead.First() is var (aheadStart, aheadEnd) && aheadStart <= _writtenBelow)
        {
            _writtenAhead.Remove(aheadStart);
            _writtenBelow = Math.Max(_writtenBelow, aheadEnd);
        }
    }

    private bool IsWrittenAhead(long start)
    {
        foreach (var (aheadStart, aheadEnd) in _writtenAhead)
        {
            if (aheadStart > start)
            {
                return false;
            }

            if (start + PageSize <= aheadEnd)
            {
                return true;
            }
        }

        return false;
    }

    private static void Retire(BoundaryPage[] pages)
    {
        foreach (var page in pages)
        {
            lock (page.Gate)
            {
                page.Retired = true;
            }
        }
    }
}
