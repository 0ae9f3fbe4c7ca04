using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>Creating, zeroing and opening segment files.</summary>
internal static class SegmentFile
{
    /// <summary>
    /// The operation a <see cref="WalIOException"/> names when a new segment could not be created: no byte of it was
    /// written yet, so the write that needed it may be retried once space returns.
    /// </summary>
    public const string CreatingSegment = "creating a segment file";

    private const int ChunkSize = 1024 * 1024;
    private const int PaceSize = 4 * 1024 * 1024;

    // Segments other processes may read (a live `walactors tail`), and retention may delete while a read
    // still holds the handle, hence Delete sharing. Exclusivity comes from the lock file, not from here.
    private const FileShare Sharing = FileShare.ReadWrite | FileShare.Delete;

    /// <summary>
    /// Creates a zero-filled segment durably: written under a temporary name, synced, renamed, directory synced.
    /// A crash leaves either no segment or a complete one, never a short file under the final name.
    /// </summary>
    /// <remarks>
    /// The zeros are really written, not fallocated: a barrier on blocks that are already written only has
    /// to flush data, while unwritten extents make every fdatasync also commit an extent conversion. They are
    /// written around the page cache where the file system allows (<see cref="DirectZeroFill"/>), and synced as
    /// they go either way (<see cref="WriteZerosPaced"/> says why).
    /// </remarks>
    public static SafeFileHandle Create(string directory, long baseOffset, long size)
    {
        var path = Path.Combine(directory, SegmentFileNames.For(baseOffset));
        var pending = path + SegmentFileNames.PendingExtension;
        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(pending, FileMode.Create, FileAccess.ReadWrite, Sharing);
            if (!DirectZeroFill.TryWrite(pending, size, PaceSize))
            {
                WriteZerosPaced(handle, size, pending);
            }

            // A file under the final name here was created by an attempt whose manifest update failed: never used, all zeros.
            File.Move(pending, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            handle?.Dispose();
            TryDelete(pending);
            throw StoreErrors.Wrap(CreatingSegment, path, e);
        }
        catch
        {
            handle?.Dispose();
            TryDelete(pending);
            throw;
        }

        DurabilityBarrier.FlushDirectory(directory);
        return handle;
    }

    public static SafeFileHandle Open(string path, bool readOnly)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, Sharing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("opening a segment file", path, e);
        }
    }

    /// <summary>Zero-fills a new segment, syncing every <see cref="PaceSize"/> bytes; returns once all of it is durable.</summary>
    /// <remarks>
    /// Segments are created while the log is busy, and a barrier waits for every write the device has queued, not just
    /// the log's own. One fdatasync after the whole segment hands the device 64 MiB at once, and every barrier issued in
    /// the next tens of milliseconds waits behind it; syncing as it goes bounds that wait to one pace's worth.
    /// </remarks>
    private static void WriteZerosPaced(SafeFileHandle handle, long size, string path)
    {
        for (long position = 0; position < size; position += PaceSize)
        {
            WriteZeros(handle, position, Math.Min(size, position + PaceSize), path);
            DurabilityBarrier.Flush(handle, path);
        }
    }

    public static void WriteZeros(SafeFileHandle handle, long from, long to, string path)
    {
        var zeros = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            Array.Clear(zeros, 0, ChunkSize);
            for (var position = from; position < to; position += ChunkSize)
            {
                var count = (int)Math.Min(ChunkSize, to - position);
                PositionedIO.WriteAll(handle, position, zeros.AsSpan(0, count), path);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(zeros);
        }
    }

    /// <summary>Overwrites with zeros every non-zero byte from <paramref name="from"/> to <paramref name="to"/>, reading first so clean ranges cost no writes.</summary>
    public static bool ZeroNonZeroBytes(SafeFileHandle handle, long from, long to, string path)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var wrote = false;
        try
        {
            for (var position = from; position < to; position += ChunkSize)
            {
                var count = (int)Math.Min(ChunkSize, to - position);
                var read = PositionedIO.ReadFill(handle, position, buffer.AsSpan(0, count), path);
                var chunk = buffer.AsSpan(0, read);
                var first = chunk.IndexOfAnyExcept((byte)0);
                if (first < 0)
                {
                    continue;
                }

                var last = chunk.LastIndexOfAnyExcept((byte)0);
                var dirty = buffer.AsSpan(first, last - first + 1);
                dirty.Clear();
                PositionedIO.WriteAll(handle, position + first, dirty, path);
                wrote = true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return wrote;
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: it is removed on the next open.
        }
    }
}
