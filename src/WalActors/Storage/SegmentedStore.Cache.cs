namespace WalActors.Storage;

/// <summary>Giving the page cache back behind the durable end.</summary>
/// <remarks>
/// <para>Appending touches a new page of the cache for every 4 KiB written, and left alone the cache keeps them all. Each
/// fresh page costs the write that first fills it: the kernel takes a free page, and on a VM whose free memory the host
/// takes back (a balloon with free page reporting) that page must be faulted in by the host first. Measured here, a
/// buffered write into fresh pages cost ~730 µs of CPU per MiB against ~90 µs for pages already in use: at 64 producers of
/// 4 KiB records it was a third of the process's CPU, all of it inside the writers' <c>pwrite</c>.</para>
/// <para>So once a barrier made a range durable, its pages (clean now) are dropped from the cache, and the next writes
/// take the pages just freed, which the kernel hands out first. <see cref="DefaultCacheWindow"/> bytes behind the durable end
/// stay cached for tailing readers and replays of recent records; older records are read from the device, as they
/// would be once the kernel evicted them anyway. Only clean pages are ever dropped: durability is untouched.</para>
/// </remarks>
public sealed partial class SegmentedStore
{
    /// <summary>Bytes behind the durable end that stay in the page cache.</summary>
    internal const long DefaultCacheWindow = 8L * 1024 * 1024;

    /// <summary>Dropped in steps of at least this much, so the advice is a rare call, not one per barrier.</summary>
    internal const long DefaultCacheReleaseStep = 1L * 1024 * 1024;

    private long _cacheReleasedTo;

    // What the recovery point's scan has yet to read stays cached: given back, it was read from the device again, as
    // much as 88% of the bytes appended at 64 × 4 KiB.
    private long _cacheKeptFrom = long.MaxValue;
    private long _cacheReleaseTarget = -1;
    private int _cacheReleaseQueued;
    private int _cacheReleasePasses;

    /// <summary>Bytes behind the durable end kept cached (tests make it small).</summary>
    internal long CacheWindow { get; set; } = DefaultCacheWindow;

    /// <summary>The least a release drops at once (tests make it small).</summary>
    internal long CacheReleaseStep { get; set; } = DefaultCacheReleaseStep;

    /// <summary>Up to this offset the page cache has been given back, or left to the kernel (what the log held when it opened).</summary>
    internal long CacheReleasedTo => Volatile.Read(ref _cacheReleasedTo);

    /// <summary>Whether a release is queued or running on the thread pool (tests wait for it to end).</summary>
    internal bool CacheReleasePending => Volatile.Read(ref _cacheReleaseQueued) != 0;

    /// <summary>How many passes the queued releases have made (tests count them).</summary>
    internal int CacheReleasePasses => Volatile.Read(ref _cacheReleasePasses);

    /// <summary>Told of every range given back, before the advice (its offset in the log and its length), for tests.</summary>
    internal Action<long, long>? CacheReleaseObserver { get; set; }

    /// <summary>
    /// Asks for what lies more than <see cref="CacheWindow"/> below <paramref name="durableEnd"/>, which a barrier has just
    /// made durable, to be dropped from the page cache; returns at once. The work runs on the thread pool, one item at a
    /// time, and requests made meanwhile coalesce into the next: dropping pages is CPU work (the kernel frees them; they
    /// are clean, so nothing waits for the device), and the thread issuing barriers must not carry it between two of them.
    /// </summary>
    internal void ReleaseCacheBelow(long durableEnd)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        InterlockedMax(ref _cacheReleaseTarget, durableEnd);
        if (Interlocked.CompareExchange(ref _cacheReleaseQueued, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static store => store.ReleaseQueued(), this, preferLocal: false);
        }
    }

    private void ReleaseQueued()
    {
        while (true)
        {
            ReleaseCache(Volatile.Read(ref _cacheReleaseTarget));
            Interlocked.Increment(ref _cacheReleasePasses);
            Volatile.Write(ref _cacheReleaseQueued, 0);

            // A request that came after the read above saw the item still queued and left its target for it. The test is
            // the one ReleaseCache makes: while the recovery point holds the release back, the target alone would say
            // there is work and this loop would spin on a core until the scan moved.
            if (ReleasableTo(Volatile.Read(ref _cacheReleaseTarget)) - _cacheReleasedTo < CacheReleaseStep
                || Interlocked.CompareExchange(ref _cacheReleaseQueued, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Drops the clean pages more than the window below <paramref name="durableEnd"/>; one caller at a time. A failure is
    /// ignored: the advice only saves work, and the pages stay correct either way.
    /// </summary>
    internal void ReleaseCache(long durableEnd)
    {
        var to = ReleasableTo(durableEnd);
        if (to - _cacheReleasedTo < CacheReleaseStep || _disposed)
        {
            return;
        }

        var position = Math.Max(_cacheReleasedTo, Head);
        while (position < to)
        {
            var segment = _table.Find(position);
            if (segment is null || !segment.TryAcquire())
            {
                break; // retention dropped it meanwhile, or the store closed: its pages went with its file
            }

            var end = Math.Min(to, segment.EndOffset);
            try
            {
                if (segment.Layout is null)
                {
                    CacheReleaseObserver?.Invoke(position, end - position);
                    Advise(segment, position - segment.BaseOffset, end - position);
                }
            }
            finally
            {
                segment.Release();
            }

            position = end;
        }

        Volatile.Write(ref _cacheReleasedTo, to);
    }

    private long ReleasableTo(long durableEnd) =>
        Math.Min(durableEnd - CacheWindow, Volatile.Read(ref _cacheKeptFrom)) & ~(long)(_boundaryPages.PageSize - 1);

    private static void Advise(Segment segment, long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere the cache is the kernel's affair: macOS has no such advice
        }

        var added = false;
        try
        {
            segment.Handle.DangerousAddRef(ref added);
            _ = NativeMethods.FAdvise((int)segment.Handle.DangerousGetHandle(), offset, length, NativeMethods.AdviseDontNeed);
        }
        finally
        {
            if (added)
            {
                segment.Handle.DangerousRelease();
            }
        }
    }
}
