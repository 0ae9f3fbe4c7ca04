using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>
/// A log kept in a directory of fixed-size, preallocated segment files named by their base offset.
/// Writes that cross a segment boundary are split; retention deletes whole leading segments; offsets never renumber.
/// </summary>
/// <remarks>
/// Segments are zero-filled when created, so a barrier after an append flushes only data, never file-size
/// metadata. The next segment is created in the background before the current one fills. Creating and
/// deleting segment files is made durable with a directory sync. An exclusive lock file keeps a second
/// writer, in this process or another, out of the directory.
/// </remarks>
public sealed partial class SegmentedStore : IWalStore
{
    internal const string LockFileName = "walactors.lock";

    private readonly Lock _structure = new();
    private readonly SafeFileHandle? _lockFile;
    private readonly string? _claimedPath;
    private readonly RecordStarts _recordStarts;
    private volatile SegmentTable _table;
    private StoreManifest _manifest;
    private long _length;
    private long _head;
    private readonly SegmentPreallocator _preallocator;
    private readonly BoundaryPages _boundaryPages;
    private bool _disposed;

    private SegmentedStore(string directory, StoreManifest manifest, SegmentTable table, SafeFileHandle? lockFile, string? claimedPath)
    {
        Directory = directory;
        _manifest = manifest;
        _table = table;
        _lockFile = lockFile;
        _claimedPath = claimedPath;
        _length = table.Last?.EndOffset ?? 0;
        _cacheReleasedTo = _length; // what recovery reads here may serve replays: left to the kernel
        _head = HeadOf(manifest, table);
        _recordStarts = new RecordStarts(manifest.SegmentSize);
        _boundaryPages = new BoundaryPages(BoundaryPages.PageSizeFor(manifest.SegmentSize), _length, WritePages, ReadPage);
        _preallocator = new SegmentPreallocator(position => CreateSegmentsThrough(position),
            (position, e) => PreallocationFailed?.Invoke(e), "walactors-segment-precreate");
    }

    /// <summary>
    /// Told, on the preallocating thread, when creating a segment ahead of the writes failed; the write that reaches it
    /// creates it itself and meets the error then, if it persists. The log's facade logs it as a warning.
    /// </summary>
    internal Action<Exception>? PreallocationFailed { get; set; }

    /// <summary>The segments being created ahead of the writes.</summary>
    internal SegmentPreallocator Preallocator => _preallocator;

    /// <summary>The log's directory, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The size of every segment file in this log.</summary>
    public long SegmentSize => _manifest.SegmentSize;

    /// <summary>Whether the store was opened for reading only.</summary>
    public bool IsReadOnly => _lockFile is null;

    /// <summary>Numeric properties the log keeps in its manifest on its own behalf.</summary>
    internal IReadOnlyDictionary<string, long> Properties => _manifest.Properties;

    /// <summary>The live segments, in offset order.</summary>
    public IReadOnlyList<SegmentInfo> Segments =>
        _table.Segments.Select(s => new SegmentInfo(s.BaseOffset, s.Size, s.FilePath)
        {
            IsCompacted = s.Layout is not null,
            KeptBytes = s.Layout?.KeptBytes ?? s.Size,
        }).ToArray();

    /// <inheritdoc />
    public long Length => Volatile.Read(ref _length);

    /// <inheritdoc />
    /// <remarks>Always a record start: retention records it in the manifest, durably, before it deletes a segment.</remarks>
    public long Head => Volatile.Read(ref _head);

    /// <summary>
    /// Whether <see cref="Head"/> is known to be a record start. A log last written by format version 1 that retention
    /// trimmed only knows the base of its first segment; the opener finds the first record there and records it.
    /// </summary>
    internal bool HeadIsRecordStart => _manifest.Head is not null || Head == 0;

    /// <inheritdoc />
    public bool IsEmpty => Length <= Head;

    /// <inheritdoc />
    /// <remarks>
    /// Every write reaching a segment file covers whole pages (<see cref="BoundaryPages"/>): the middle pages of the
    /// range go straight to the file, its partial first and last pages through the page kept in memory for them, so
    /// the kernel never reads a page from the device to merge a write into it.
    /// </remarks>
    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        EnsureWritable();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var end = offset + bytes.Length;
        if (!bytes.IsEmpty && _table.Find(end - 1) is null)
        {
            // Every segment the range needs exists before any byte of it is written: a write that fails creating one
            // (a full disk) wrote nothing, so the writer may repeat it whole without contributing a page's bytes twice.
            CreateSegmentsThrough(end - 1);
        }

        var pageSize = _boundaryPages.PageSize;
        var firstWhole = AlignUp(offset, pageSize);
        var lastWhole = end & ~(long)(pageSize - 1);
        if (offset < firstWhole && !bytes.IsEmpty)
        {
            _boundaryPages.Write(offset, bytes[..(int)(Math.Min(end, firstWhole) - offset)]);
        }

        if (firstWhole < lastWhole)
        {
            WritePages(firstWhole, bytes[(int)(firstWhole - offset)..(int)(lastWhole - offset)]);
            _boundaryPages.MarkWritten(firstWhole, lastWhole);
        }

        var tail = Math.Max(lastWhole, firstWhole);
        if (tail < end)
        {
            _boundaryPages.Write(tail, bytes[(int)(tail - offset)..]);
        }

        // By the write's own end, not the end of the page written for it: a whole page reaches up to 4 KiB further.
        if (_table.Last is { } last && end > last.BaseOffset + last.Size / 2)
        {
            PrecreateNextSegment();
        }

        AdvanceLength(end);
    }

    /// <inheritdoc />
    public int ReadAt(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        // A reader that holds the store (a journal reading its events by position) must learn the log is gone, not find
        // it empty.
        ThrowIfDisposed();
        if (offset < Head)
        {
            throw new LogTruncatedException(offset, Head);
        }

        var end = Math.Min(offset + buffer.Length, Length);
        var position = offset;
        while (position < end)
        {
            var table = _table;
            var segment = table.Find(position);
            if (segment is null)
            {
                if (table.Count > 0 && position < table.Segments[0].BaseOffset)
                {
                    throw new LogTruncatedException(position, table.Segments[0].BaseOffset);
                }

                break;
            }

            if (!segment.TryAcquire())
            {
                throw new LogTruncatedException(position, Head);
            }

            try
            {
                var local = position - segment.BaseOffset;
                var count = (int)Math.Min(end - position, segment.Size - local);
                var target = buffer.Slice((int)(position - offset), count);
                int read;
                if (segment.Layout is { } layout)
                {
                    layout.Render(segment.Handle, segment.FilePath, position, target);
                    read = count;
                }
                else
                {
                    read = PositionedIO.ReadFill(segment.Handle, local, target, segment.FilePath);
                }

                position += read;
                if (read < count)
                {
                    break;
                }
            }
            finally
            {
                segment.Release();
            }
        }

        return (int)(position - offset);
    }

    /// <inheritdoc />
    public void Sync()
    {
        EnsureWritable();
        foreach (var segment in _table.Segments)
        {
            if (!segment.IsDirty || !segment.TryAcquire())
            {
                continue;
            }

            try
            {
                if (segment.TakeDirty())
                {
                    DurabilityBarrier.Flush(segment.Handle, segment.FilePath);
                }
            }
            catch
            {
                // The kernel may already have dropped the pages a failed flush covered; the caller must
                // fault the log rather than retry, but the segment stays marked as not known to be durable.
                segment.MarkDirty();
                throw;
            }
            finally
            {
                segment.Release();
            }
        }
    }

    /// <inheritdoc />
    public void Truncate(long length) => Truncate(length, long.MaxValue);

    /// <summary>
    /// Discards every byte at or after <paramref name="length"/>, zeroing in recycled segments only the bytes before
    /// <paramref name="clearRecycledThrough"/>: recovery found nothing but stale frames of their former position after it,
    /// which no later scan can take for records, so a recovery need not zero a whole segment of them.
    /// </summary>
    internal void Truncate(long length, long clearRecycledThrough)
    {
        EnsureWritable();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        lock (_structure)
        {
            ThrowIfDisposed();
            if (length >= Length)
            {
                return;
            }

            var table = _table;
            if (table.Count == 0)
            {
                _boundaryPages.Reset(length);
                Volatile.Write(ref _cacheReleasedTo, Math.Min(_cacheReleasedTo, length));
                Volatile.Write(ref _length, length);
                return;
            }

            var head = table.Segments[0].BaseOffset;
            if (length < Head)
            {
                throw new LogTruncatedException(length, Head);
            }

            if (length < _recoveryPointEnd)
            {
                // Gone before the bytes it describes: a crash in between must not leave it vouching for them.
                InvalidateRecoveryPoint();
            }

            // Zero everything from `length` on, in the segment that holds it and in every later one, rather than deleting
            // later segments: they are precreated space the log is about to write into, and recreating one costs a
            // whole zero-fill. Stale frames must not survive there: a later crash could otherwise bring them back. A
            // recycled segment's frames of its former position are the exception recovery vouches for (clearRecycledThrough):
            // valid only at another LSN, no scan can take them for records here.
            var from = Math.Max(0, (int)((length - head) / SegmentSize));
            var recycled = RecycledSegments;
            foreach (var segment in table.Segments[from..])
            {
                if (segment.Layout is not null)
                {
                    ClipCompacted(segment, length);
                    continue;
                }

                var local = Math.Max(0, length - segment.BaseOffset);
                var to = recycled.ContainsKey(segment.BaseOffset) ? Math.Clamp(clearRecycledThrough - segment.BaseOffset, local, segment.Size) : segment.Size;
                if (SegmentFile.ZeroNonZeroBytes(segment.Handle, local, to, segment.FilePath))
                {
                    DurabilityBarrier.Flush(segment.Handle, segment.FilePath);
                }
            }

            _boundaryPages.Reset(length);

            Volatile.Write(ref _cacheReleasedTo, Math.Min(_cacheReleasedTo, length));
            Volatile.Write(ref _length, length);
        }
    }

    /// <summary>Closes every segment file and releases the log's lock.</summary>
    public void Dispose()
    {
        // First, outside the lock its thread takes to create a segment: nothing may create files once the lock is released.
        _preallocator.Dispose();
        lock (_structure)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var segment in _table.Segments)
            {
                segment.Release();
            }

            _table = SegmentTable.Empty;
            _lockFile?.Dispose();
            if (_claimedPath is not null)
            {
                OpenLogRegistry.Release(_claimedPath);
            }
        }
    }

    private void AdvanceLength(long end) => InterlockedMax(ref _length, end);

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void EnsureWritable()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"The log '{Directory}' was opened read-only.");
        }
    }

    /// <summary>The recorded head; for a version 1 manifest, the base of the first segment (or 0 for a log without one).</summary>
    private static long HeadOf(StoreManifest manifest, SegmentTable? table) =>
        manifest.Head ?? (table is { Count: > 0 } ? table.Segments[0].BaseOffset : 0);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
