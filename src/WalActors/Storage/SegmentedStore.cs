using System.Collections.Immutable;
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
public sealed class SegmentedStore : IWalStore
{
    private const string LockFileName = "walactors.lock";

    private readonly Lock _structure = new();
    private readonly SafeFileHandle? _lockFile;
    private readonly string? _claimedPath;
    private volatile SegmentTable _table;
    private StoreManifest _manifest;
    private long _length;
    private int _precreating;
    private bool _disposed;

    private SegmentedStore(string directory, StoreManifest manifest, SegmentTable table, SafeFileHandle? lockFile, string? claimedPath)
    {
        Directory = directory;
        _manifest = manifest;
        _table = table;
        _lockFile = lockFile;
        _claimedPath = claimedPath;
        _length = table.Last?.EndOffset ?? 0;
    }

    /// <summary>The log's directory, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The size of every segment file in this log.</summary>
    public long SegmentSize => _manifest.SegmentSize;

    /// <summary>Whether the store was opened for reading only.</summary>
    public bool IsReadOnly => _lockFile is null;

    /// <summary>Numeric properties the log keeps in its manifest on its own behalf.</summary>
    public IReadOnlyDictionary<string, long> Properties => _manifest.Properties;

    /// <summary>The live segments, in offset order.</summary>
    public IReadOnlyList<SegmentInfo> Segments =>
        _table.Segments.Select(s => new SegmentInfo(s.BaseOffset, s.Size, s.FilePath)).ToArray();

    /// <inheritdoc />
    public long Length => Volatile.Read(ref _length);

    /// <inheritdoc />
    public long Head => _table.Segments.Length == 0 ? 0 : _table.Segments[0].BaseOffset;

    /// <inheritdoc />
    public bool IsEmpty => Length <= Head;

    /// <summary>
    /// Opens the log in <paramref name="directory"/> for writing, creating the directory and an empty log if
    /// there is none, and takes the log's exclusive lock.
    /// </summary>
    /// <exception cref="NotAWalLogException">The directory holds files but no WalActors manifest.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    /// <exception cref="LogInUseException">Another process or another open in this process holds the log.</exception>
    /// <exception cref="LogDamagedException">A segment file is missing from the middle of the log.</exception>
    /// <exception cref="WalIOException">The file system refused an operation.</exception>
    public static SegmentedStore Open(string directory, SegmentedStoreOptions? options = null)
    {
        options ??= new SegmentedStoreOptions();
        options.Validate();
        var fullPath = Path.GetFullPath(directory);
        var isNew = PrepareDirectory(fullPath);
        var manifest = isNew ? null : StoreManifest.Read(fullPath);

        OpenLogRegistry.Claim(fullPath);
        SafeFileHandle? lockFile = null;
        try
        {
            lockFile = ExclusiveFile.Open(Path.Combine(fullPath, LockFileName), fullPath);
            if (manifest is null)
            {
                manifest = new StoreManifest(StoreManifest.CurrentFormatVersion, options.SegmentSize, ImmutableSortedDictionary<string, long>.Empty);
                manifest.Write(fullPath);
            }

            DeletePendingFiles(fullPath);
            var table = OpenSegments(fullPath, manifest.SegmentSize, readOnly: false);
            return new SegmentedStore(fullPath, manifest, table, lockFile, fullPath);
        }
        catch
        {
            lockFile?.Dispose();
            OpenLogRegistry.Release(fullPath);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing log for reading only, without its lock, so it can be inspected while another process writes it.
    /// Nothing in the directory is modified; writes, truncation and syncs throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public static SegmentedStore OpenReadOnly(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(fullPath))
        {
            throw new NotAWalLogException(fullPath, "the directory does not exist");
        }

        if (!StoreManifest.ExistsIn(fullPath))
        {
            throw new NotAWalLogException(fullPath, $"there is no '{StoreManifest.FileName}' file");
        }

        var manifest = StoreManifest.Read(fullPath);
        var table = OpenSegments(fullPath, manifest.SegmentSize, readOnly: true);
        return new SegmentedStore(fullPath, manifest, table, lockFile: null, claimedPath: null);
    }

    /// <summary>Whether <paramref name="directory"/> holds a WalActors log (its manifest exists).</summary>
    public static bool Exists(string directory) => StoreManifest.ExistsIn(Path.GetFullPath(directory));

    /// <inheritdoc />
    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        EnsureWritable();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var position = offset;
        var remaining = bytes;
        while (!remaining.IsEmpty)
        {
            var segment = LeaseForWrite(position);
            try
            {
                var local = position - segment.BaseOffset;
                var count = (int)Math.Min(remaining.Length, segment.Size - local);
                PositionedIO.WriteAll(segment.Handle, local, remaining[..count], segment.FilePath);
                segment.MarkDirty();
                position += count;
                remaining = remaining[count..];
                if (local + count > segment.Size / 2 && ReferenceEquals(segment, _table.Last))
                {
                    PrecreateNextSegment();
                }
            }
            finally
            {
                segment.Release();
            }
        }

        AdvanceLength(position);
    }

    /// <inheritdoc />
    public int ReadAt(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
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
                var read = PositionedIO.ReadFill(segment.Handle, local, buffer.Slice((int)(position - offset), count), segment.FilePath);
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
    public void Truncate(long length)
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
                Volatile.Write(ref _length, length);
                return;
            }

            var head = table.Segments[0].BaseOffset;
            if (length < head)
            {
                throw new LogTruncatedException(length, head);
            }

            // Keep the segment that holds `length` (even when `length` is its base, so the head survives),
            // clear it from there on, and drop every later segment.
            var keep = (int)Math.Min(table.Count, ((length - head) / SegmentSize) + 1);
            var dropped = table.Segments[keep..];
            var kept = table.Segments[..keep];
            var last = kept[^1];
            if (length < last.EndOffset)
            {
                SegmentFile.ZeroNonZeroBytes(last.Handle, length - last.BaseOffset, last.Size, last.FilePath);
                DurabilityBarrier.Flush(last.Handle, last.FilePath);
            }

            if (dropped.Length > 0)
            {
                _table = new SegmentTable(kept);
                DeleteSegments(dropped);
            }

            Volatile.Write(ref _length, length);
        }
    }

    /// <inheritdoc />
    public long TruncateBefore(long offset)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            var table = _table;

            // The last segment always stays: it carries the head of an otherwise empty log across a reopen.
            var drop = 0;
            while (drop < table.Count - 1 && table.Segments[drop].EndOffset <= offset)
            {
                drop++;
            }

            if (drop > 0)
            {
                _table = new SegmentTable(table.Segments[drop..]);
                DeleteSegments(table.Segments[..drop]);
            }

            return Head;
        }
    }

    /// <summary>
    /// For a read-only store: picks up segments another process has created or deleted since the last look, so a
    /// follower can read a log while it grows. Returns whether anything changed.
    /// </summary>
    public bool Refresh()
    {
        if (!IsReadOnly)
        {
            throw new InvalidOperationException("Only a read-only store follows changes made by another process.");
        }

        lock (_structure)
        {
            ThrowIfDisposed();
            var current = _table.Segments.ToDictionary(segment => segment.BaseOffset);
            var bases = ListSegmentBases(Directory);

            // Another process creates segments at the end and deletes them at the front; keep the contiguous run
            // that ends at the newest segment.
            var start = bases.Length;
            while (start > 0 && (start == bases.Length || bases[start - 1] + SegmentSize == bases[start]))
            {
                start--;
            }

            var segments = new List<Segment>();
            foreach (var baseOffset in bases[start..])
            {
                if (current.Remove(baseOffset, out var kept))
                {
                    segments.Add(kept);
                    continue;
                }

                var path = Path.Combine(Directory, SegmentFileNames.For(baseOffset));
                try
                {
                    segments.Add(new Segment(baseOffset, SegmentSize, SegmentFile.Open(path, readOnly: true), path));
                }
                catch (WalIOException) when (!File.Exists(path))
                {
                    // Deleted by retention between the listing and the open.
                }
            }

            var changed = current.Count > 0 || segments.Count != _table.Count;
            _table = new SegmentTable([.. segments]);
            foreach (var gone in current.Values)
            {
                gone.Release();
            }

            Volatile.Write(ref _length, _table.Last?.EndOffset ?? 0);
            return changed;
        }
    }

    /// <summary>Sets a numeric property in the log's manifest, durably; the log uses these for limits it must remember.</summary>
    public void SetProperty(string key, long value)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            if (_manifest.Properties.TryGetValue(key, out var current) && current == value)
            {
                return;
            }

            var updated = _manifest with { Properties = _manifest.Properties.SetItem(key, value) };
            updated.Write(Directory);
            _manifest = updated;
        }
    }

    /// <summary>Closes every segment file and releases the log's lock.</summary>
    public void Dispose()
    {
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

    /// <summary>Creates the directory if needed; returns true when it is empty (a new log), throws if it holds something else.</summary>
    private static bool PrepareDirectory(string fullPath)
    {
        if (File.Exists(fullPath))
        {
            throw new NotAWalLogException(fullPath, "it is a file, not a directory");
        }

        if (!System.IO.Directory.Exists(fullPath))
        {
            try
            {
                System.IO.Directory.CreateDirectory(fullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StoreErrors.Wrap("creating the log directory", fullPath, e);
            }

            var parent = Path.GetDirectoryName(fullPath);
            if (parent is not null)
            {
                DurabilityBarrier.FlushDirectory(parent);
            }

            return true;
        }

        if (StoreManifest.ExistsIn(fullPath))
        {
            return false;
        }

        // A process killed while creating the log leaves its lock file and a manifest never renamed into place:
        // those are the log's own, and it is still new.
        string[] ownLeftovers = [LockFileName, StoreManifest.FileName + SegmentFileNames.PendingExtension];
        var foreign = System.IO.Directory.EnumerateFileSystemEntries(fullPath)
            .Select(Path.GetFileName)
            .FirstOrDefault(name => !ownLeftovers.Contains(name));
        if (foreign is not null)
        {
            throw new NotAWalLogException(fullPath, $"the directory is not empty ('{foreign}') and has no '{StoreManifest.FileName}' file");
        }

        return true;
    }

    private static void DeletePendingFiles(string directory)
    {
        foreach (var pending in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.PendingExtension))
        {
            SegmentFile.TryDelete(pending);
        }
    }

    private static SegmentTable OpenSegments(string directory, long segmentSize, bool readOnly)
    {
        var bases = ListSegmentBases(directory);
        var segments = new List<Segment>(bases.Length);
        try
        {
            for (var i = 0; i < bases.Length; i++)
            {
                var baseOffset = bases[i];
                if (baseOffset % segmentSize != 0)
                {
                    throw new LogDamagedException(directory, baseOffset, $"segment file '{SegmentFileNames.For(baseOffset)}' does not start on a segment boundary");
                }

                if (i > 0 && baseOffset != bases[i - 1] + segmentSize)
                {
                    throw new LogDamagedException(directory, bases[i - 1] + segmentSize, "a segment file is missing from the middle of the log");
                }

                var path = Path.Combine(directory, SegmentFileNames.For(baseOffset));
                var handle = SegmentFile.Open(path, readOnly);
                segments.Add(new Segment(baseOffset, segmentSize, handle, path));
                var actual = RandomAccess.GetLength(handle);
                if (actual < segmentSize)
                {
                    // Creation goes through a rename, so a short file means something outside the log cut it.
                    // The lost bytes read as zeros, which recovery treats like any other hole.
                    if (readOnly)
                    {
                        continue;
                    }

                    SegmentFile.WriteZeros(handle, actual, segmentSize, path);
                    DurabilityBarrier.Flush(handle, path);
                }
            }
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Release();
            }

            throw;
        }

        return new SegmentTable([.. segments]);
    }

    private static long[] ListSegmentBases(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.Extension)
            .Select(path => SegmentFileNames.TryParse(Path.GetFileName(path), out var b) ? b : -1)
            .Where(b => b >= 0)
            .Order()
            .ToArray();

    private Segment LeaseForWrite(long position)
    {
        while (true)
        {
            var table = _table;
            var segment = table.Find(position);
            if (segment is null)
            {
                segment = CreateSegmentsThrough(position);
            }

            if (segment.TryAcquire())
            {
                return segment;
            }

            // Retired by a concurrent truncation: only possible below the head.
            if (position < Head)
            {
                throw new LogTruncatedException(position, Head);
            }
        }
    }

    private Segment CreateSegmentsThrough(long position)
    {
        lock (_structure)
        {
            ThrowIfDisposed();
            var table = _table;
            var found = table.Find(position);
            if (found is not null)
            {
                return found;
            }

            if (table.Count > 0 && position < table.Segments[0].BaseOffset)
            {
                throw new LogTruncatedException(position, table.Segments[0].BaseOffset);
            }

            var segments = new List<Segment>(table.Segments);
            // A log with no segment at all is new: it starts at offset 0.
            var next = table.Last?.EndOffset ?? 0;
            while (next <= position)
            {
                var handle = SegmentFile.Create(Directory, next, SegmentSize);
                var segment = new Segment(next, SegmentSize, handle, Path.Combine(Directory, SegmentFileNames.For(next)));
                segments.Add(segment);
                _table = new SegmentTable([.. segments]);
                next += SegmentSize;
            }

            return _table.Last!;
        }
    }

    private void PrecreateNextSegment()
    {
        if (Interlocked.CompareExchange(ref _precreating, 1, 0) != 0)
        {
            return;
        }

        var next = _table.Last?.EndOffset ?? 0;

        // A thread of its own, not the thread pool: zero-filling and syncing a segment blocks for tens of milliseconds,
        // and on a small machine taking a pool thread that long stalls every actor and continuation queued behind it.
        var thread = new Thread(() =>
        {
            try
            {
                CreateSegmentsThrough(next);
            }
            catch (Exception e) when (e is WalException or ObjectDisposedException)
            {
                // The write that reaches this segment creates it itself and reports the error then.
            }
            finally
            {
                Volatile.Write(ref _precreating, 0);
            }
        })
        {
            IsBackground = true,
            Name = "walactors-segment-precreate",
        };
        thread.Start();
    }

    private void DeleteSegments(Segment[] segments)
    {
        foreach (var segment in segments)
        {
            segment.Release();
            try
            {
                File.Delete(segment.FilePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StoreErrors.Wrap("deleting a segment file", segment.FilePath, e);
            }
        }

        DurabilityBarrier.FlushDirectory(Directory);
    }

    private void AdvanceLength(long end)
    {
        var current = Volatile.Read(ref _length);
        while (end > current)
        {
            var seen = Interlocked.CompareExchange(ref _length, end, current);
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

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
