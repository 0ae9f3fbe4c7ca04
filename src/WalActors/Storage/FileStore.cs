using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>
/// A log kept in one file: positioned reads and writes on a single handle, no lock around writes, and
/// the platform's true durability barrier. It cannot drop a prefix; use <see cref="SegmentedStore"/> for retention.
/// </summary>
public sealed class FileStore : IWalStore
{
    private readonly SafeFileHandle _handle;
    private readonly string? _claimedPath;
    private int _disposed;

    private FileStore(SafeFileHandle handle, string path, string? claimedPath)
    {
        _handle = handle;
        Path = path;
        _claimedPath = claimedPath;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>Whether the store was opened for reading only.</summary>
    public bool IsReadOnly => _claimedPath is null;

    /// <summary>
    /// Opens <paramref name="path"/> for writing, creating it if missing, and takes an exclusive lock on it.
    /// The file's contents are not interpreted here; recovery validates them.
    /// </summary>
    /// <exception cref="LogInUseException">Another process or another open in this process holds the file.</exception>
    /// <exception cref="WalIOException">The file cannot be opened.</exception>
    public static FileStore Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        OpenLogRegistry.Claim(fullPath);
        try
        {
            return new FileStore(ExclusiveFile.Open(fullPath, fullPath), fullPath, fullPath);
        }
        catch
        {
            OpenLogRegistry.Release(fullPath);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing file for reading only, without a lock, so a log can be inspected while another process writes it.
    /// Writes, truncation and syncs on the returned store throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public static FileStore OpenReadOnly(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        try
        {
            var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new FileStore(handle, fullPath, claimedPath: null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("opening the log for reading", fullPath, e);
        }
    }

    /// <inheritdoc />
    public long Length
    {
        get
        {
            try
            {
                return RandomAccess.GetLength(_handle);
            }
            catch (IOException e)
            {
                throw StoreErrors.Wrap("reading the log's length", Path, e);
            }
        }
    }

    /// <inheritdoc />
    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        EnsureWritable();
        PositionedIO.WriteAll(_handle, offset, bytes, Path);
    }

    /// <inheritdoc />
    public int ReadAt(long offset, Span<byte> buffer) => PositionedIO.ReadFill(_handle, offset, buffer, Path);

    /// <inheritdoc />
    public void Truncate(long length)
    {
        EnsureWritable();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length < Length)
        {
            PositionedIO.SetLength(_handle, length, Path);
            DurabilityBarrier.Flush(_handle, Path);
        }
    }

    /// <inheritdoc />
    public void Sync()
    {
        EnsureWritable();
        DurabilityBarrier.Flush(_handle, Path);
    }

    /// <summary>Closes the file and releases its lock.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _handle.Dispose();
        if (_claimedPath is not null)
        {
            OpenLogRegistry.Release(_claimedPath);
        }
    }

    private void EnsureWritable()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"The log '{Path}' was opened read-only.");
        }
    }
}
