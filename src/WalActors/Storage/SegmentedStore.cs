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
    internal const string LockFileName = "walactors.lock";

    private readonly Lock _structure = new();
    private readonly SafeFileHandle? _lockFile;
    private readonly string? _claimedPath;
    private readonly RecordStarts _recordStarts;
    private volatile SegmentTable _table;
    private StoreManifest _manifest;
    private long _length;
    private long _head;
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
        _head = HeadOf(manifest, table);
        _recordStarts = new RecordStarts(manifest.SegmentSize);
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
    /// <remarks>Always a record start: retention records it in the manifest, durably, before it deletes a segment.</remarks>
    public long Head => Volatile.Read(ref _head);

    /// <summary>
    /// Whether <see cref="Head"/> is known to be a record start. A log last written by format version 1 that retention
    /// trimmed only knows the base of its first segment; the opener finds the first record there and records it.
    /// </summary>
    public bool HeadIsRecordStart => _manifest.Head is not null || Head == 0;

    /// <inheritdoc />
    public bool IsEmpty => Length <= Head;

    /// <summary>
    /// Opens the log in <paramref name="directory"/> for writing, creating the directory and an empty log if
    /// there is none, and takes the log's exclusive lock.
    /// </summary>
    /// <exception cref="NotAWalLogException">The directory holds files but no WalActors manifest.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    /// <exception cref="LogInUseException">Another process or another open in this process holds the log.</exception>
    /// <exception cref="LogDamagedException">A segment file is missing, misnamed or of the wrong size; nothing was modified.</exception>
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
                manifest = new StoreManifest(StoreManifest.CurrentFormatVersion, options.SegmentSize, ImmutableSortedDictionary<string, long>.Empty)
                    .With(StoreManifest.HeadProperty, 0);
                manifest.Write(fullPath);
            }

            DeletePendingFiles(fullPath);
            var table = SegmentDirectory.Open(fullPath, manifest, HeadOf(manifest, null), readOnly: false, options.Salvage);
            if (options.Salvage && manifest.LastSegment is { } recorded && (table.Last?.BaseOffset ?? -1) < recorded)
            {
                manifest = manifest.With(StoreManifest.LastSegmentProperty, table.Last?.BaseOffset ?? -1);
                manifest.Write(fullPath);
            }


            // A process that crashed may have left writes in the page cache that no barrier covered; the first sync
            // of this store must flush them before anything built on them is acknowledged.
            foreach (var segment in table.Segments)
            {
                segment.MarkDirty();
            }

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

        // A writer at work records a new head, then deletes the files below it, and records a segment once it created
        // it: a look between the two steps sees a manifest the files no longer match. Such a look is taken again; damage
        // is what a manifest that stays the same still does not match.
        for (var attempt = 1; ; attempt++)
        {
            var manifest = StoreManifest.Read(fullPath);
            try
            {
                var table = SegmentDirectory.Open(fullPath, manifest, HeadOf(manifest, null), readOnly: true);
                return new SegmentedStore(fullPath, manifest, table, lockFile: null, claimedPath: null);
            }
            catch (Exception e) when (e is LogDamagedException or WalIOException && attempt < 3 && !StoreManifest.Read(fullPath).SaysTheSameAs(manifest))
            {
            }
        }
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
            if (length < Head)
            {
                throw new LogTruncatedException(length, Head);
            }

            // Zero everything from `length` on, in the segment that holds it and in every later one, rather than deleting
            // later segments: they are precreated space the log is about to write into, and recreating one costs a
            // whole zero-fill. Stale frames must not survive there: a later crash could otherwise bring them back.
            var from = Math.Max(0, (int)((length - head) / SegmentSize));
            foreach (var segment in table.Segments[from..])
            {
                var local = Math.Max(0, length - segment.BaseOffset);
                if (SegmentFile.ZeroNonZeroBytes(segment.Handle, local, segment.Size, segment.FilePath))
                {
                    DurabilityBarrier.Flush(segment.Handle, segment.FilePath);
                }
            }

            Volatile.Write(ref _length, length);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The new head is the first record start declared with <see cref="NoteRecordStart"/> at or after the base of the
    /// first segment kept, and never past <paramref name="offset"/>, so no record at or after <paramref name="offset"/> is
    /// dropped. It is written to the manifest durably before any file is deleted: a crash in between leaves files below
    /// the head, which the next open deletes. The last segment always stays.
    /// </remarks>
    public long TruncateBefore(long offset)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            var table = _table;
            var drop = 0;
            while (drop < table.Count - 1 && table.Segments[drop].EndOffset <= offset)
            {
                drop++;
            }

            long? newHead = null;
            for (; drop > 0; drop--)
            {
                newHead = _recordStarts.FirstBetween(table.Segments[drop].BaseOffset, offset);
                if (newHead is not null)
                {
                    break;
                }
            }

            if (drop == 0 || newHead is not { } head || head <= Head)
            {
                return Head;
            }

            var updated = _manifest.With(StoreManifest.HeadProperty, head);
            updated.Write(Directory);
            _manifest = updated;
            Volatile.Write(ref _head, head);
            _table = new SegmentTable(table.Segments[drop..]);
            DeleteSegments(table.Segments[..drop]);
            _recordStarts.ForgetBefore(table.Segments[drop].BaseOffset);
            return head;
        }
    }

    /// <summary>
    /// Declares that a record (or an atomic batch) starts at <paramref name="lsn"/>: a place the head may move to. Writers
    /// declare the start of every batch they write; recovery the first record it finds in each segment.
    /// </summary>
    public void NoteRecordStart(long lsn) => _recordStarts.Note(lsn);

    /// <summary>
    /// The first declared record start at or after <paramref name="position"/>, or null: where retention that wants
    /// everything before <paramref name="position"/> gone can ask <see cref="TruncateBefore"/> to move the head.
    /// </summary>
    public long? RecordStartAtOrAfter(long position) => _recordStarts.FirstAtOrAfter(position);

    /// <summary>Creates the segment that holds <paramref name="position"/> (and any before it) unless it exists.</summary>
    internal void EnsureSegmentFor(long position)
    {
        EnsureWritable();
        if (_table.Find(position) is null)
        {
            CreateSegmentsThrough(position);
        }
    }

    /// <summary>
    /// Records <paramref name="head"/>, a record start found by scanning, as the head of a log whose version 1 manifest
    /// only knew the base of its first segment.
    /// </summary>
    internal void RecordHead(long head)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            var updated = _manifest.With(StoreManifest.HeadProperty, head);
            updated.Write(Directory);
            _manifest = updated;
            Volatile.Write(ref _head, head);
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
            var bases = SegmentDirectory.ListBases(Directory);
            try
            {
                _manifest = StoreManifest.Read(Directory);
            }
            catch (WalException)
            {
                // Replaced by a rename, so normally never torn; if unreadable, keep what was known.
            }

            var headBase = _manifest.Head is { } recorded ? recorded / SegmentSize * SegmentSize : long.MinValue;
            bases = bases.Where(b => b >= headBase).ToArray();

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
            var head = HeadOf(_manifest, _table);
            changed |= head != Head;
            Volatile.Write(ref _head, head);
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

            var updated = _manifest.With(key, value);
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
                try
                {
                    // Recorded before the segment is used: from now on a missing file here is damage, not a shorter log.
                    var updated = _manifest.With(StoreManifest.LastSegmentProperty, next);
                    updated.Write(Directory);
                    _manifest = updated;
                }
                catch (WalIOException e)
                {
                    segment.Release();
                    throw new WalIOException(SegmentFile.CreatingSegment, segment.FilePath, e, e.IsDiskFull);
                }
                catch
                {
                    segment.Release();
                    throw;
                }

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

    /// <summary>The recorded head; for a version 1 manifest, the base of the first segment (or 0 for a log without one).</summary>
    private static long HeadOf(StoreManifest manifest, SegmentTable? table) =>
        manifest.Head ?? (table is { Count: > 0 } ? table.Segments[0].BaseOffset : 0);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
