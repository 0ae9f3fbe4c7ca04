using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

/// <summary>
/// The segmented store gives the page cache back behind the durable end, keeping a window cached, in steps, per segment
/// file, never below the head nor below what the log held when it opened, and without changing a byte of the log.
/// </summary>
public sealed class CacheReleaseTests : IDisposable
{
    private const int S = 64 * 1024;
    private static readonly SegmentedStoreOptions Options = new() { SegmentSize = S };
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void What_lies_beyond_the_window_below_the_durable_end_is_given_back_segment_by_segment_and_reads_back_unchanged()
    {
        using var store = Open();
        var released = Observe(store);
        var bytes = Append(store, 8 * S + 1000);

        store.ReleaseCache(bytes.Length);

        var to = bytes.Length - store.CacheWindow & ~4095L;
        Assert.Equal(to, store.CacheReleasedTo);
        Assert.Equal(0, released[0].Offset);
        Assert.Equal(to, released.Sum(r => r.Length));
        Assert.All(released, r => Assert.True(r.Offset / S == (r.Offset + r.Length - 1) / S, $"the range at {r.Offset} crosses a segment's end"));
        Assert.Equal(bytes, ReadBack(store, bytes.Length));
    }

    [Fact]
    public void What_the_recovery_point_has_yet_to_scan_stays_cached_until_it_has()
    {
        using var store = Open();
        var released = Observe(store);
        var bytes = Append(store, 8 * S + 1000);
        IRecoveryPointStore points = store;

        points.KeepCachedFrom(2 * S);
        store.ReleaseCache(bytes.Length);
        Assert.Equal(2 * S, store.CacheReleasedTo);
        Assert.Equal(2 * S, released.Sum(r => r.Length));

        points.KeepCachedFrom(long.MaxValue);
        store.ReleaseCache(bytes.Length);
        Assert.Equal(bytes.Length - store.CacheWindow & ~4095L, store.CacheReleasedTo);
        Assert.Equal(bytes, ReadBack(store, bytes.Length));
    }

    [Fact]
    public void A_release_held_back_by_the_recovery_point_ends_its_thread_pool_item_instead_of_spinning_until_the_scan_moves()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the queued release only runs where the advice exists
        }

        using var store = Open();
        var bytes = Append(store, 8 * S + 1000);
        IRecoveryPointStore points = store;
        points.KeepCachedFrom(2 * S);

        store.ReleaseCacheBelow(bytes.Length);

        // Before the fix the item looped on a core for as long as the scan stayed put, a pass after another.
        Assert.True(SpinWait.SpinUntil(() => !store.CacheReleasePending, TimeSpan.FromSeconds(30)), "the queued release is still running");
        Assert.Equal(2 * S, store.CacheReleasedTo);
        Assert.Equal(1, store.CacheReleasePasses);

        points.KeepCachedFrom(long.MaxValue);
        store.ReleaseCacheBelow(bytes.Length);
        Assert.True(SpinWait.SpinUntil(() => !store.CacheReleasePending && store.CacheReleasedTo > 2 * S, TimeSpan.FromSeconds(30)), "the release did not resume");
        Assert.Equal(bytes.Length - store.CacheWindow & ~4095L, store.CacheReleasedTo);
    }

    [Fact]
    public void Less_than_a_step_past_the_last_release_gives_nothing_back()
    {
        using var store = Open();
        var (bytes, first, released) = ReleasedOnce(store);

        Append(store, S / 2, from: bytes.Length);
        store.ReleaseCache(bytes.Length + (S / 2));

        Assert.Empty(released);
        Assert.Equal(first, store.CacheReleasedTo);
    }

    [Fact]
    public void The_next_release_starts_where_the_last_one_ended()
    {
        using var store = Open();
        var (bytes, first, released) = ReleasedOnce(store);

        Append(store, 3 * S, from: bytes.Length);
        store.ReleaseCache(9 * S);

        Assert.Equal(first, released[0].Offset);
        Assert.Equal(9 * S - store.CacheWindow, store.CacheReleasedTo);
    }

    [Fact]
    public void Nothing_below_the_head_is_touched_after_retention_dropped_segments()
    {
        using var store = Open();
        var bytes = new byte[8 * S];
        for (long lsn = 0; lsn < bytes.Length; lsn += S)
        {
            store.NoteRecordStart(lsn);
        }

        Append(store, bytes.Length);
        Assert.Equal(3 * S, store.TruncateBefore(3 * S));
        var released = Observe(store);

        store.ReleaseCache(bytes.Length);

        Assert.Equal(3 * S, released[0].Offset);
        Assert.Equal(bytes.Length - store.CacheWindow, store.CacheReleasedTo);
    }

    [Fact]
    public void What_the_log_held_when_it_opened_is_left_to_the_kernel()
    {
        byte[] before;
        using (var first = Open())
        {
            before = Append(first, 5 * S);
        }

        using var store = Open();
        var released = Observe(store);
        var opened = store.Length;
        var after = Append(store, 5 * S, from: opened);

        store.ReleaseCache(opened + after.Length);

        Assert.Equal(opened, released[0].Offset);
        Assert.Equal(before, ReadBack(store, before.Length));
    }

    [Fact]
    public void A_log_cut_back_by_its_recovery_is_given_back_from_its_new_end()
    {
        using (var first = Open())
        {
            Append(first, (5 * S) + 100);
        }

        using var store = Open();
        store.Truncate((5 * S) + 100); // as recovery does: the store opens at the end of its last segment
        var released = Observe(store);
        var more = Append(store, 6 * S, from: (5 * S) + 100);

        store.ReleaseCache((5 * S) + 100 + more.Length);

        Assert.Equal((5 * S) + 100, released[0].Offset);
    }

    /// <summary>Appends six segments' worth, gives back what lies beyond the window, then observes the next release.</summary>
    private static (byte[] Bytes, long ReleasedTo, List<(long Offset, long Length)> Released) ReleasedOnce(SegmentedStore store)
    {
        var bytes = Append(store, 6 * S);
        store.ReleaseCache(bytes.Length);
        return (bytes, store.CacheReleasedTo, Observe(store));
    }

    private static List<(long Offset, long Length)> Observe(SegmentedStore store)
    {
        var released = new List<(long Offset, long Length)>();
        store.CacheReleaseObserver = (offset, length) => released.Add((offset, length));
        return released;
    }

    private SegmentedStore Open()
    {
        var store = SegmentedStore.Open(LogPath, Options);
        store.CacheWindow = 2 * S;
        store.CacheReleaseStep = S;
        return store;
    }

    /// <summary>Writes <paramref name="count"/> random bytes from <paramref name="from"/> and makes them durable.</summary>
    private static byte[] Append(SegmentedStore store, int count, long from = 0)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        store.WriteAt(from, bytes);
        store.Sync();
        return bytes;
    }

    private static byte[] ReadBack(SegmentedStore store, int count)
    {
        var bytes = new byte[count];
        Assert.Equal(count, store.ReadAt(0, bytes));
        return bytes;
    }
}
