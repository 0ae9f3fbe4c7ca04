using WalActors.Storage;

namespace WalActors.Tests.Storage;

/// <summary>The boundary-page map on its own, over a file kept in memory: its bound, failed writes, and pages read back.</summary>
public sealed class BoundaryPagesTests
{
    private const int PageSize = 4096;

    [Fact]
    public void Past_its_bound_the_map_forgets_its_lowest_pages_and_a_late_write_to_one_reads_it_back_first()
    {
        var file = new MemoryFile(16 * PageSize);
        var pages = new BoundaryPages(PageSize, writtenBelow: 0, file.Write, file.Read, maxPages: 4);

        // Ten pages each left with a hole (as a writer that failed would leave them).
        for (var page = 0; page < 10; page++)
        {
            pages.Write(page * PageSize, Filled(100, (byte)(page + 1)));
        }

        Assert.True(pages.Count <= 4, $"{pages.Count} pages kept");
        var reads = file.Reads;

        // The holes are filled after all: every page ends up with both contributions, forgotten or not.
        for (var page = 0; page < 10; page++)
        {
            pages.Write(page * PageSize + 100, Filled(PageSize - 100, (byte)(page + 101)));
        }

        Assert.True(file.Reads > reads, "a forgotten page was written without being read back");
        for (var page = 0; page < 10; page++)
        {
            Assert.Equal([.. Filled(100, (byte)(page + 1)), .. Filled(PageSize - 100, (byte)(page + 101))], file.Bytes[(page * PageSize)..((page + 1) * PageSize)]);
        }

        Assert.Equal(0, pages.Count);
    }

    [Fact]
    public void A_failed_write_counts_as_not_contributed_so_a_retry_completes_the_page()
    {
        var file = new MemoryFile(PageSize) { FailNextWrite = true };
        var pages = new BoundaryPages(PageSize, writtenBelow: 0, file.Write, file.Read);

        Assert.Throws<WalIOException>(() => pages.Write(0, Filled(1000, 1)));
        pages.Write(0, Filled(1000, 1));
        Assert.Equal(1, pages.Count);
        pages.Write(1000, Filled(PageSize - 1000, 2));

        Assert.Equal(0, pages.Count);
        Assert.Equal([.. Filled(1000, 1), .. Filled(PageSize - 1000, 2)], file.Bytes);
    }

    [Fact]
    public void A_page_below_what_the_file_already_holds_is_read_from_it_before_its_first_write()
    {
        var file = new MemoryFile(PageSize);
        Filled(300, 4).CopyTo(file.Bytes, 0);
        var pages = new BoundaryPages(PageSize, writtenBelow: 300, file.Write, file.Read);

        pages.Write(300, Filled(10, 5));
        pages.Write(310, Filled(10, 6));

        Assert.Equal(1, file.Reads);
        Assert.Equal([.. Filled(300, 4), .. Filled(10, 5), .. Filled(10, 6)], file.Bytes[..320]);
    }

    [Fact]
    public void A_page_written_whole_and_not_kept_is_read_first_so_an_overwrite_keeps_its_neighbours()
    {
        var file = new MemoryFile(3 * PageSize);
        Filled(PageSize, 4).CopyTo(file.Bytes, 2 * PageSize);
        var pages = new BoundaryPages(PageSize, writtenBelow: 0, file.Write, file.Read);
        pages.MarkWritten(2 * PageSize, 3 * PageSize); // a write's middle page, written whole beyond what is contiguous

        pages.Write((2 * PageSize) + 100, [9]);

        Assert.Equal(1, file.Reads);
        Assert.Equal([.. Filled(100, 4), 9, .. Filled(PageSize - 101, 4)], file.Bytes[(2 * PageSize)..]);
        Assert.Equal(0, pages.Count);
    }

    [Fact]
    public void Writers_of_one_page_that_finish_out_of_order_after_a_later_write_keep_each_other_s_bytes()
    {
        // Three writers share page 1, and a write beyond it finished first. The one in the middle once took the store's
        // length (past the page) as proof the page was written, completed it alone and forgot it; the first, which had
        // read the length before that later write, then took the page for zeros and erased the middle one's bytes.
        var file = new MemoryFile(3 * PageSize);
        var pages = new BoundaryPages(PageSize, writtenBelow: PageSize, file.Write, file.Read);
        pages.MarkWritten(2 * PageSize, 3 * PageSize);

        pages.Write(PageSize + 200, Filled(PageSize - 200, 2));
        pages.Write(PageSize + 100, Filled(100, 1));
        Assert.Equal(1, pages.Count);
        pages.Write(PageSize, Filled(100, 9));

        Assert.Equal([.. Filled(100, 9), .. Filled(100, 1), .. Filled(PageSize - 200, 2)], file.Bytes[PageSize..(2 * PageSize)]);
        Assert.Equal(0, pages.Count);
        Assert.Equal(0, file.Reads);
    }

    [Fact]
    public void A_reset_forgets_every_page_and_what_lies_past_its_length()
    {
        var file = new MemoryFile(PageSize);
        var pages = new BoundaryPages(PageSize, writtenBelow: 0, file.Write, file.Read);
        pages.Write(0, Filled(500, 1));
        file.Bytes.AsSpan(200, 300).Clear(); // what a truncation to 200 does to the file

        pages.Reset(200);
        pages.Write(200, Filled(5, 2));

        Assert.Equal([.. Filled(200, 1), .. Filled(5, 2), .. new byte[PageSize - 205]], file.Bytes);
    }

    [Fact]
    public void The_page_size_divides_every_segment_size()
    {
        Assert.Equal(0, SegmentedStoreOptions.MinimumSegmentSize % BoundaryPages.PageSizeFor(SegmentedStoreOptions.MinimumSegmentSize));
        Assert.Equal(Environment.SystemPageSize, BoundaryPages.PageSizeFor(64L * Environment.SystemPageSize));
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private sealed class MemoryFile(int length)
    {
        public byte[] Bytes { get; } = new byte[length];

        public int Reads { get; private set; }

        public bool FailNextWrite { get; set; }

        public void Write(long start, ReadOnlySpan<byte> page)
        {
            Assert.Equal(0, start % PageSize);
            Assert.Equal(PageSize, page.Length);
            if (FailNextWrite)
            {
                FailNextWrite = false;
                throw new WalIOException("writing to the log", "memory", new IOException("injected"), isDiskFull: false);
            }

            page.CopyTo(Bytes.AsSpan((int)start));
        }

        public int Read(long start, Span<byte> page)
        {
            Reads++;
            Bytes.AsSpan((int)start, page.Length).CopyTo(page);
            return page.Length;
        }
    }
}
