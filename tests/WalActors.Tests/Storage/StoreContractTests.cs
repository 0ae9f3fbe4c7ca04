using WalActors.Storage;

namespace WalActors.Tests.Storage;

/// <summary>The store contract, run against every store: each derived class supplies how to open and reopen one.</summary>
public abstract class StoreContractTests : IDisposable
{
    private readonly List<IWalStore> _opened = [];

    /// <summary>Whether the store can drop a prefix with TruncateBefore.</summary>
    protected abstract bool DropsPrefixes { get; }

    /// <summary>The granularity at which TruncateBefore drops bytes, for stores that can.</summary>
    protected virtual long PrefixGranularity => 0;

    protected abstract IWalStore OpenStore();

    /// <summary>Closes <paramref name="store"/> and opens the same log again, as a restart would.</summary>
    protected abstract IWalStore Reopen(IWalStore store);

    public virtual void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public void A_new_store_is_empty()
    {
        var store = Track(OpenStore());
        Assert.Equal(0, store.Length);
        Assert.True(store.IsEmpty);
        Assert.Equal(0, store.Head);
        Assert.Equal(0, store.ReadAt(0, new byte[16]));
    }

    [Fact]
    public void Bytes_written_read_back_at_their_offset()
    {
        var store = Track(OpenStore());
        var bytes = Bytes(1, 1000);
        store.WriteAt(0, bytes);
        store.WriteAt(1000, bytes);

        Assert.Equal(2000, store.Length);
        Assert.False(store.IsEmpty);
        var back = new byte[2000];
        Assert.Equal(2000, store.ReadAt(0, back));
        Assert.Equal(bytes, back[..1000]);
        Assert.Equal(bytes, back[1000..]);
    }

    [Fact]
    public void Writing_past_the_end_zero_fills_the_gap()
    {
        var store = Track(OpenStore());
        store.WriteAt(0, [1, 2, 3]);
        store.WriteAt(10, [9, 9]);

        var back = new byte[12];
        Assert.Equal(12, store.ReadAt(0, back));
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 9, 9 }, back);
    }

    [Fact]
    public void Sparse_writes_out_of_order_leave_zeros_only_where_nothing_was_written()
    {
        var store = Track(OpenStore());
        store.WriteAt(5000, Bytes(3, 100));
        store.WriteAt(100, Bytes(1, 100));
        store.WriteAt(2500, Bytes(2, 100));

        var back = new byte[5100];
        Assert.Equal(5100, store.ReadAt(0, back));
        Assert.Equal(Bytes(1, 100), back[100..200]);
        Assert.Equal(Bytes(2, 100), back[2500..2600]);
        Assert.Equal(Bytes(3, 100), back[5000..5100]);
        Assert.All(new[] { back[..100], back[200..2500], back[2600..5000] }, gap => Assert.DoesNotContain(gap, b => b != 0));
    }

    [Fact]
    public void A_read_past_the_end_is_short()
    {
        var store = Track(OpenStore());
        store.WriteAt(0, Bytes(1, 10));

        var back = new byte[8];
        Assert.Equal(2, store.ReadAt(8, back));
        Assert.Equal(Bytes(1, 10)[8..], back[..2]);
        Assert.Equal(0, store.ReadAt(10, back));
        Assert.Equal(0, store.ReadAt(1_000_000, back));
    }

    [Fact]
    public void Truncate_drops_every_byte_at_and_after_the_length_and_they_never_reappear()
    {
        var store = Track(OpenStore());
        store.WriteAt(0, Bytes(1, 9000));
        store.Truncate(4000);

        Assert.Equal(4000, store.Length);
        var back = new byte[9000];
        Assert.Equal(4000, store.ReadAt(0, back));
        Assert.Equal(Bytes(1, 9000)[..4000], back[..4000]);

        // Growing the store again past the cut must expose zeros, not the old bytes.
        store.WriteAt(8990, [7]);
        Assert.Equal(8991, store.ReadAt(0, back));
        Assert.DoesNotContain(back[4000..8990], b => b != 0);
        Assert.Equal(7, back[8990]);
    }

    [Fact]
    public void Truncate_beyond_the_end_changes_nothing()
    {
        var store = Track(OpenStore());
        store.WriteAt(0, Bytes(1, 100));
        store.Truncate(500);
        Assert.Equal(100, store.Length);
    }

    [Fact]
    public void Concurrent_disjoint_writes_from_many_threads_do_not_corrupt_each_other()
    {
        var store = Track(OpenStore());
        const int threads = 16;
        const int writesPerThread = 64;

        // Interleave ranges of varied sizes so neighbouring writes come from different threads.
        var ranges = new List<(long Offset, byte[] Bytes)>();
        long offset = 0;
        for (var i = 0; i < threads * writesPerThread; i++)
        {
            var bytes = Bytes(i, 1 + (i * 131 % 700));
            ranges.Add((offset, bytes));
            offset += bytes.Length;
        }

        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < ranges.Count; i += threads)
            {
                store.WriteAt(ranges[i].Offset, ranges[i].Bytes);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(offset, store.Length);
        var back = new byte[offset];
        Assert.Equal(offset, store.ReadAt(0, back));
        foreach (var (at, bytes) in ranges)
        {
            Assert.Equal(bytes, back[(int)at..((int)at + bytes.Length)]);
        }
    }

    [Fact]
    public void Synced_bytes_survive_a_reopen()
    {
        var store = Track(OpenStore());
        store.WriteAt(0, Bytes(1, 5000));
        store.WriteAt(5000, Bytes(2, 300));
        store.Sync();

        var reopened = Track(Reopen(store));
        var back = new byte[5300];
        Assert.True(reopened.Length >= 5300);
        Assert.Equal(5300, reopened.ReadAt(0, back));
        Assert.Equal(Bytes(1, 5000), back[..5000]);
        Assert.Equal(Bytes(2, 300), back[5000..]);
    }

    [Fact]
    public void TruncateBefore_drops_what_the_store_can_and_never_renumbers()
    {
        var store = Track(OpenStore());
        var bytes = Bytes(1, 20_000);
        store.WriteAt(0, bytes);
        long[] recordStarts = [0, 104, 5_000, 9_000, 12_500, 17_000];
        foreach (var start in recordStarts)
        {
            store.NoteRecordStart(start);
        }

        var head = store.TruncateBefore(12_000);

        if (!DropsPrefixes)
        {
            Assert.Equal(0, head);
            Assert.Equal(0, store.Head);
        }
        else
        {
            // The head moves only to a declared record start, the first one in the first segment kept, never past the
            // offset asked for: no record at or after it is dropped.
            var firstKeptSegment = 12_000 / PrefixGranularity * PrefixGranularity;
            Assert.Equal(recordStarts.First(s => s >= firstKeptSegment), head);
            Assert.Equal(head, store.Head);
            Assert.Throws<LogTruncatedException>(() => store.ReadAt(head - 1, new byte[1]));
        }

        var back = new byte[20_000 - head];
        Assert.Equal(back.Length, store.ReadAt(head, back));
        Assert.Equal(bytes[(int)head..], back);
        Assert.Equal(20_000, store.Length);
    }

    [Fact]
    public void A_dropped_prefix_stays_dropped_after_a_reopen()
    {
        var store = Track(OpenStore());
        store.WriteAt(0, Bytes(1, 20_000));
        store.Sync();
        var head = store.TruncateBefore(12_000);

        var reopened = Track(Reopen(store));
        Assert.Equal(head, reopened.Head);
        var back = new byte[1000];
        Assert.Equal(1000, reopened.ReadAt(19_000, back));
        Assert.Equal(Bytes(1, 20_000)[19_000..], back);
    }

    protected static byte[] Bytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected IWalStore Track(IWalStore store)
    {
        _opened.Add(store);
        return store;
    }
}
