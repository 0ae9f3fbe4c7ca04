namespace WalActors.Storage;

/// <summary>Giving the page cache back behind the durable end.</summary>
/// <remarks>
/// <para>Appending touches a new page of the cache for every 4 KiB written, and left alone the cache keeps them all. Each
/// fresh page costs the write that first fills it: the kernel takes a free page, and on a VM whose free memory the host
/// takes back (a balloon with free page reporting) that page must be faulted in by the host first. Measured here, a
/// buffered write into fresh pages cost ~730 µs of CPU per MiB against ~90 µs for pages already in use: at 64 producers of
/// 4 KiB records it was a third of the process's CPU, all of it inside the writers' <c>pwrite</c>.</para>
/// <para>So once a barrier made a range durable, its pages (clean now) are dropped from the cache, and the next writes
/// take the pages just freed, which the kernel hands out first. <see cref="CacheWindow"/> bytes behind the durable end
/// stay cached for tailing readers and replays of recent records; older records are read from the device, as they
/// would be once the kernel evicted them anyway. Only clean pages are ever dropped: durability is untouched.</para>
/// </remarks>
public sealed partial class SegmentedStore
{
    /// <summary>Bytes behind the durable end that stay in the page cache.</summary>
    internal const long CacheWindow = 8L * 1024 * 1024;

    /// <summary>Dropped in steps of at least this much, so the advice is a rare call, not one per barrier.</summary>
    internal const long CacheReleaseStep = 1L * 1024 * 1024;

    private long _cacheReleasedTo = -1;

    /// <summary>
    /// Drops from the page cache what lies more than <see cref="CacheWindow"/> below <paramref name="durableEnd"/>, which a
    /// barrier has just made durable. Called from one thread (the one issuing barriers). A failure is ignored: the advice
    /// only saves work, and the pages stay correct either way.
    /// </summary>
    internal void ReleaseCacheBelow(long durableEnd)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (_cacheReleasedTo < 0)
        {
            // What the log held when it opened was read by recovery and may serve replays: left to the kernel.
            _cacheReleasedTo = Length;
        }

        var to = (durableEnd - CacheWindow) & ~(long)(_boundaryPages.PageSize - 1);
        if (to - _cacheReleasedTo < CacheReleaseStep)
        {
            return;
        }

        var position = Math.Max(_cacheReleasedTo, Head);
        while (position < to)
        {
            var segment = _table.Find(position);
            if (segment is null || !segment.TryAcquire())
            {
                break; // retention dropped it meanwhile: its pages went with its file
            }

            var end = Math.Min(to, segment.EndOffset);
            try
            {
                if (segment.Layout is null)
                {
                    Advise(segment, position - segment.BaseOffset, end - position);
                }
            }
            finally
            {
                segment.Release();
            }

            position = end;
        }

        _cacheReleasedTo = to;
    }

    private static void Advise(Segment segment, long offset, long length)
    {
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
