using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

/// <summary>
/// Retention renames the segments it drops into the next positions (up to recycle-segments of them) instead of deleting
/// them; the manifest says where each came from, and an interrupted recycling leaves a log that opens.
/// </summary>
public sealed class SegmentRecyclingTests : IDisposable
{
    private const long S = 16 * 1024; // a write 100 bytes into the last segment must not reach its middle (which precreates the next)
    private static readonly SegmentedStoreOptions Options = new() { SegmentSize = S, RecycleSegments = 2 };
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Retention_renames_up_to_the_bound_into_the_next_positions_and_deletes_the_rest()
    {
        using var store = OpenWithFourSegments(out var old);

        Assert.Equal(3 * S, store.TruncateBefore(3 * S));

        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, store.Segments.Select(s => s.BaseOffset));
        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, SegmentDirectory.ListBases(LogPath));
        Assert.Equal(new Dictionary<long, long> { [4 * S] = 0, [5 * S] = S }, store.RecycledSegments);
        var manifest = StoreManifest.Read(LogPath);
        Assert.Equal(5 * S, manifest.LastSegment);
        Assert.Equal(3 * S, manifest.Head);

        // Segment 1's first record started 8 bytes in: what came before (a record begun in segment 0) is zeroed; the rest
        // of the file is what it held.
        var recycled = File.ReadAllBytes(Path.Combine(LogPath, SegmentFileNames.For(5 * S)));
        Assert.Equal(new byte[8], recycled[..8]);
        Assert.Equal(old[(int)(S + 8)..(int)(2 * S)], recycled[8..]);
        Assert.Equal(old[..(int)S], File.ReadAllBytes(Path.Combine(LogPath, SegmentFileNames.For(4 * S))));
    }

    [Fact]
    public void Appending_into_recycled_segments_creates_no_file_and_reads_back_what_was_written()
    {
        using var store = OpenWithFourSegments(out _);
        store.TruncateBefore(3 * S);
        var bytes = Enumerable.Range(0, (int)(2 * S)).Select(i => (byte)(i * 7)).ToArray();
        store.WriteAt(3 * S + 100, bytes);

        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, SegmentDirectory.ListBases(LogPath));
        var back = new byte[bytes.Length];
        Assert.Equal(bytes.Length, store.ReadAt(3 * S + 100, back));
        Assert.Equal(bytes, back);
    }

    [Fact]
    public void A_fresh_segment_created_where_a_recycled_one_was_recorded_drops_the_record()
    {
        using (var store = OpenWithFourSegments(out _))
        {
            store.TruncateBefore(3 * S);
        }

        // As a crash before the renames leaves it: the entries recorded, the files still under their old names, below the head.
        File.Move(Path.Combine(LogPath, SegmentFileNames.For(4 * S)), Path.Combine(LogPath, SegmentFileNames.For(0)));
        File.Move(Path.Combine(LogPath, SegmentFileNames.For(5 * S)), Path.Combine(LogPath, SegmentFileNames.For(S)));
        StoreManifest.Read(LogPath).With(StoreManifest.LastSegmentProperty, 3 * S).Write(LogPath);

        using var reopened = SegmentedStore.Open(LogPath, Options);

        Assert.Equal(new[] { 3 * S }, SegmentDirectory.ListBases(LogPath));
        Assert.Empty(reopened.RecycledSegments);
        Assert.Empty(StoreManifest.Read(LogPath).RecycledSegments);
        reopened.WriteAt(4 * S, [1]);
        Assert.Empty(reopened.RecycledSegments);
        Assert.Equal(new[] { 3 * S, 4 * S }, SegmentDirectory.ListBases(LogPath));
    }

    [Fact]
    public void A_crash_after_the_renames_before_the_last_segment_is_recorded_opens_with_the_recycled_segments()
    {
        using (var store = OpenWithFourSegments(out _))
        {
            store.TruncateBefore(3 * S);
        }

        StoreManifest.Read(LogPath).With(StoreManifest.LastSegmentProperty, 3 * S).Write(LogPath);

        using var reopened = SegmentedStore.Open(LogPath, Options);

        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, reopened.Segments.Select(s => s.BaseOffset));
        Assert.Equal(new Dictionary<long, long> { [4 * S] = 0, [5 * S] = S }, reopened.RecycledSegments);
    }

    [Fact]
    public void A_crash_that_left_both_names_opens_with_the_new_one_and_deletes_the_old()
    {
        using (var store = OpenWithFourSegments(out _))
        {
            store.TruncateBefore(3 * S);
        }

        File.Copy(Path.Combine(LogPath, SegmentFileNames.For(4 * S)), Path.Combine(LogPath, SegmentFileNames.For(0)));

        using var reopened = SegmentedStore.Open(LogPath, Options);

        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, SegmentDirectory.ListBases(LogPath));
        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, reopened.Segments.Select(s => s.BaseOffset));
    }

    [Fact]
    public void A_recycled_segment_recorded_as_the_last_yet_missing_is_damage()
    {
        using (var store = OpenWithFourSegments(out _))
        {
            store.TruncateBefore(3 * S);
        }

        File.Delete(Path.Combine(LogPath, SegmentFileNames.For(5 * S)));

        var error = Assert.Throws<LogDamagedException>(() => SegmentedStore.Open(LogPath, Options));
        Assert.Contains(SegmentFileNames.For(5 * S), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_segment_whose_first_record_start_is_unknown_is_deleted_not_recycled()
    {
        using var store = OpenWithFourSegments(out _, noteSecondSegment: false);

        store.TruncateBefore(3 * S);

        Assert.Equal(new Dictionary<long, long> { [4 * S] = 0, [5 * S] = 2 * S }, store.RecycledSegments);
    }

    [Fact]
    public void A_compacted_segment_is_deleted_not_recycled()
    {
        using var store = OpenWithFourSegments(out var old);
        Assert.True(store.Compact(0, [new KeptBytes(0, old.AsMemory(0, 100))]).Replaced);

        store.TruncateBefore(3 * S);

        Assert.Equal(new Dictionary<long, long> { [4 * S] = S, [5 * S] = 2 * S }, store.RecycledSegments);
        Assert.Equal(new[] { 3 * S, 4 * S, 5 * S }, store.Segments.Select(s => s.BaseOffset));
    }

    [Fact]
    public void Spare_segments_ahead_of_the_writes_count_against_the_bound()
    {
        using var store = OpenWithFourSegments(out _);
        store.TruncateBefore(3 * S);
        store.WriteAt(4 * S, new byte[2 * S]);
        store.NoteRecordStart(4 * S);
        store.NoteRecordStart(5 * S);

        // One spare segment is ahead after this drop (7S, precreated by the write or not): room for one more at most.
        store.TruncateBefore(5 * S);

        Assert.True(store.Segments.Count(s => s.BaseOffset > store.Length) <= Options.RecycleSegments);
        Assert.Equal(5 * S, store.Head);
    }

    [Fact]
    public void Without_recycling_retention_deletes_every_segment_it_drops()
    {
        using var store = OpenWithFourSegments(out _, options: Options with { RecycleSegments = 0 });

        store.TruncateBefore(3 * S);

        Assert.Equal(new[] { 3 * S }, SegmentDirectory.ListBases(LogPath));
        Assert.Empty(store.RecycledSegments);
    }

    [Fact]
    public void An_unreadable_recycled_entry_in_the_manifest_is_refused()
    {
        SegmentedStore.Open(LogPath, Options).Dispose();
        File.AppendAllText(Path.Combine(LogPath, StoreManifest.FileName), "recycled.12x 0\n");

        Assert.Throws<NotAWalLogException>(() => SegmentedStore.Open(LogPath, Options));
    }

    [Fact]
    public void A_recycle_bound_out_of_range_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => SegmentedStore.Open(LogPath, Options with { RecycleSegments = SegmentedStoreOptions.MaxRecycleSegments + 1 }));
        Assert.Contains("recycle-segments", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A log of four segments, written in one go (so no precreation runs), with record starts noted in each.</summary>
    private SegmentedStore OpenWithFourSegments(out byte[] old, bool noteSecondSegment = true, SegmentedStoreOptions? options = null)
    {
        var store = SegmentedStore.Open(LogPath, options ?? Options);
        old = Enumerable.Range(0, (int)(3 * S + 100)).Select(i => (byte)(1 + i % 251)).ToArray();
        store.WriteAt(0, old);
        store.NoteRecordStart(0);
        if (noteSecondSegment)
        {
            store.NoteRecordStart(S + 8);
        }

        store.NoteRecordStart(2 * S + 16);
        store.NoteRecordStart(3 * S);
        store.Sync();
        return store;
    }
}
