using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

/// <summary>
/// The segmented store writes only whole pages to its files (a partial page would make the kernel read it from the
/// device first), and concurrent writers sharing a page never clobber each other's bytes.
/// </summary>
public sealed class WholePageWriteTests : IDisposable
{
    private static readonly SegmentedStoreOptions Options = new() { SegmentSize = 64 * 1024 };
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    private static int PageSize => BoundaryPages.PageSizeFor(Options.SegmentSize);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Appends_of_every_size_reach_the_files_as_whole_pages_only()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var writes = new List<(long Offset, int Length)>();
        store.WriteObserver = (offset, length) => writes.Add((offset, length));
        var random = new Random(12);
        var expected = new byte[3 * Options.SegmentSize + 1000];
        random.NextBytes(expected);
        long position = 0;
        while (position < expected.Length)
        {
            var size = (int)Math.Min(expected.Length - position, random.Next(3) switch { 0 => random.Next(1, 200), 1 => random.Next(1, 9000), _ => random.Next(1, 70_000) });
            store.WriteAt(position, expected.AsSpan((int)position, size));
            position += size;
        }

        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.True(w.Offset % PageSize == 0 && w.Length % PageSize == 0, $"a write of {w.Length} bytes at {w.Offset} is not whole pages"));
        Assert.Equal(expected, ReadBack(store, expected.Length));
        Assert.Equal(1, store.BoundaryPages.Count); // only the last, partial page is still to be completed
    }

    [Fact]
    public void A_write_within_one_page_rewrites_that_page_whole_from_its_start()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var writes = new List<(long Offset, int Length)>();
        store.WriteObserver = (offset, length) => writes.Add((offset, length));

        store.WriteAt(100, [1, 2, 3]);

        Assert.Equal([(0L, PageSize)], writes);
        var page = ReadBack(store, 103);
        Assert.Equal(new byte[100], page[..100]);
        Assert.Equal(new byte[] { 1, 2, 3 }, page[100..]);
    }

    [Fact]
    public void The_later_of_two_ranges_sharing_a_page_written_first_keeps_both()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var first = Filled(3000, 0xA1);
        var second = Filled(3000, 0xB2);

        store.WriteAt(3000, second);
        store.WriteAt(0, first);

        Assert.Equal([.. first, .. second], ReadBack(store, 6000));
        Assert.Equal(1, store.BoundaryPages.Count);
    }

    [Fact]
    public void A_page_is_forgotten_once_every_byte_of_it_was_contributed()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        store.WriteAt(0, Filled(1000, 1));
        store.WriteAt(2000, Filled(PageSize - 2000, 3));
        Assert.Equal(1, store.BoundaryPages.Count);

        store.WriteAt(1000, Filled(1000, 2));

        Assert.Equal(0, store.BoundaryPages.Count);
        Assert.Equal([.. Filled(1000, 1), .. Filled(1000, 2), .. Filled(PageSize - 2000, 3)], ReadBack(store, PageSize));
    }

    [Theory]
    [InlineData(1, 300)]
    [InlineData(2, 5000)]
    [InlineData(3, 20_000)]
    public async Task Two_threads_writing_interleaved_ranges_across_shared_pages_leave_every_byte_exact(int seed, int maxRange)
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var random = new Random(seed);
        var expected = new byte[2 * Options.SegmentSize];
        random.NextBytes(expected);
        var ranges = new List<(int Offset, int Length)>();
        for (var position = 0; position < expected.Length;)
        {
            var size = Math.Min(expected.Length - position, random.Next(1, maxRange));
            ranges.Add((position, size));
            position += size;
        }

        // Thread A takes the even ranges, B the odd ones, so nearly every boundary page is shared between the two;
        // each goes through its own in a different order, so both orders of every shared page occur.
        var evens = ranges.Where((_, i) => i % 2 == 0).ToArray();
        var odds = ranges.Where((_, i) => i % 2 == 1).Reverse().ToArray();
        using var start = new Barrier(2);
        void Write((int Offset, int Length)[] mine)
        {
            start.SignalAndWait();
            foreach (var (offset, length) in mine)
            {
                store.WriteAt(offset, expected.AsSpan(offset, length));
            }
        }

        var a = Task.Factory.StartNew(() => Write(evens), TaskCreationOptions.LongRunning);
        var b = Task.Factory.StartNew(() => Write(odds), TaskCreationOptions.LongRunning);
        await Task.WhenAll(a, b);

        Assert.Equal(expected, ReadBack(store, expected.Length));
        Assert.Equal(0, store.BoundaryPages.Count);
    }

    [Fact]
    public void After_a_truncation_appends_keep_the_bytes_of_the_last_partial_page()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var old = Filled(2 * PageSize, 7);
        store.WriteAt(0, old);
        var cut = PageSize + 904;

        store.Truncate(cut);
        store.WriteAt(cut, Filled(100, 9));

        Assert.Equal([.. old[..cut], .. Filled(100, 9), .. new byte[PageSize - 904 - 100]], ReadFile(store, 2 * PageSize));
    }

    [Fact]
    public void After_a_reopen_and_a_truncation_the_last_partial_page_is_read_from_the_file_once()
    {
        var old = Filled(PageSize + 500, 5);
        using (var first = SegmentedStore.Open(LogPath, Options))
        {
            first.WriteAt(0, old);
            first.Sync();
        }

        using var store = SegmentedStore.Open(LogPath, Options);
        store.Truncate(old.Length);
        store.WriteAt(old.Length, Filled(10, 6));
        store.WriteAt(old.Length + 10, Filled(10, 8));

        Assert.Equal([.. old, .. Filled(10, 6), .. Filled(10, 8)], ReadBack(store, old.Length + 20));
    }

    [Fact]
    public void A_write_into_a_reopened_log_without_truncation_keeps_the_bytes_already_in_its_page()
    {
        var old = Filled(500, 5);
        using (var first = SegmentedStore.Open(LogPath, Options))
        {
            first.WriteAt(0, old);
            first.Sync();
        }

        using var store = SegmentedStore.Open(LogPath, Options);
        store.WriteAt(500, Filled(20, 6));

        Assert.Equal([.. old, .. Filled(20, 6)], ReadBack(store, 520));
    }

    [Fact]
    public void Bytes_left_in_a_page_past_a_truncation_become_zeros_when_the_page_is_next_written()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        store.WriteAt(0, Filled(100, 1));
        store.Truncate(100);

        // Bytes that a truncation did not clear (as a recycled segment's stale ones are left): not the log's.
        using (var file = File.OpenHandle(store.Segments[0].FilePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            RandomAccess.Write(file, Filled(PageSize - 200, 0xEE), 200);
        }

        store.WriteAt(100, Filled(50, 2));

        Assert.Equal([.. Filled(100, 1), .. Filled(50, 2), .. new byte[PageSize - 150]], ReadFile(store, PageSize));
    }

    [Fact]
    public void Overwriting_a_byte_of_a_written_page_keeps_the_rest_of_the_page()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var bytes = Filled(3 * PageSize, 3);
        store.WriteAt(0, bytes);

        store.WriteAt(PageSize + 7, [0xFF]);

        bytes[PageSize + 7] = 0xFF;
        Assert.Equal(bytes, ReadBack(store, bytes.Length));
    }

    [Fact]
    public void Retention_forgets_the_pages_of_the_segments_it_drops()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        store.WriteAt(0, Filled(100, 1)); // a hole after it, and one before the segment's end: never completed
        store.NoteRecordStart(0);
        store.NoteRecordStart(Options.SegmentSize);
        store.WriteAt(200, Filled((int)Options.SegmentSize - 300, 2));
        store.WriteAt(Options.SegmentSize, Filled(10, 3));
        Assert.Equal(3, store.BoundaryPages.Count);

        Assert.Equal(Options.SegmentSize, store.TruncateBefore(Options.SegmentSize));

        Assert.Equal(1, store.BoundaryPages.Count);
    }

    private static byte[] ReadBack(SegmentedStore store, int length)
    {
        var buffer = new byte[length];
        Assert.Equal(length, store.ReadAt(0, buffer));
        return buffer;
    }

    /// <summary>The first segment file's bytes, past the store's length too.</summary>
    private static byte[] ReadFile(SegmentedStore store, int length)
    {
        using var file = File.OpenHandle(store.Segments[0].FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[length];
        Assert.Equal(length, RandomAccess.Read(file, buffer, 0));
        return buffer;
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
