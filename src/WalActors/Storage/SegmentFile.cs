using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>Creating, zeroing and opening segment files.</summary>
internal static class SegmentFile
{
    private const int ChunkSize = 1024 * 1024;

    // Segments other processes may read (a live `walactors tail`), and retention may delete while a read
    // still holds the handle, hence Delete sharing. Exclusivity comes from the lock file, not from here.
    private const FileShare Sharing = FileShare.ReadWrite | FileShare.Delete;

    /// <summary>
    /// Creates a zero-filled segment durably: written under a temporary name, synced, renamed, directory synced.
    /// A crash leaves either no segment or a complete one, never a short file under the final name.
    /// </summary>
    /// <remarks>
    /// The zeros are really written, not fallocated: a barrier on blocks that are already written only has
    /// to flush data, while unwritten extents make every fdatasync also commit an extent conversion.
    /// </remarks>
    public static SafeFileHandle Create(string directory, long baseOffset, long size)
    {
        var path = Path.Combine(directory, SegmentFileNames.For(baseOffset));
        var pending = path + SegmentFileNames.PendingExtension;
        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(pending, FileMode.Create, FileAccess.ReadWrite, Sharing);
            WriteZeros(handle, 0, size, pending);
            DurabilityBarrier.Flush(handle, pending);
            File.Move(pending, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            handle?.Dispose();
            TryDelete(pending);
            throw StoreErrors.Wrap("creating a segment file", path, e);
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
