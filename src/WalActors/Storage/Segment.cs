using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>
/// One segment file: its handle, its base offset, whether it has unsynced writes, and a reference count
/// so that retention can delete it (or compaction replace it) while a read that leased it is still running.
/// A compacted segment keeps only some of its bytes; its <see cref="Layout"/> says where they lie.
/// </summary>
internal sealed class Segment
{
    private readonly SafeFileHandle _handle;
    private int _references = 1; // the segment table's own reference
    private int _dirty;

    public Segment(long baseOffset, long size, SafeFileHandle handle, string path, CompactedLayout? layout = null)
    {
        BaseOffset = baseOffset;
        Size = size;
        _handle = handle;
        FilePath = path;
        Layout = layout;
    }

    /// <summary>Where a compacted segment's kept bytes lie; null for a segment that holds every byte of its range.</summary>
    public CompactedLayout? Layout { get; }

    public long BaseOffset { get; }

    /// <summary>The segment's range in the log (a compacted segment's file is smaller).</summary>
    public long Size { get; }

    public long EndOffset => BaseOffset + Size;

    public string FilePath { get; }

    public SafeFileHandle Handle => _handle;

    public bool IsDirty => Volatile.Read(ref _dirty) != 0;

    /// <summary>Takes a reference for one I/O; false once the segment has been retired and closed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Takes the segment out of use if nothing but the table holds it, so no read can lease it afterwards; the caller
    /// then owns <see cref="Handle"/> and disposes it. False while a read holds it.
    /// </summary>
    public bool TryRetireUnused() => Interlocked.CompareExchange(ref _references, 0, 1) == 1;

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _handle.Dispose();
        }
    }

    // Read before writing so that steady-state appends to an already-dirty segment do not bounce
    // the cache line between the writer threads.
    public void MarkDirty()
    {
        if (Volatile.Read(ref _dirty) == 0)
        {
            Volatile.Write(ref _dirty, 1);
        }
    }

    /// <summary>Clears the dirty flag; a write that completes after this call sets it again for the next sync.</summary>
    public bool TakeDirty() => Interlocked.Exchange(ref _dirty, 0) != 0;
}
