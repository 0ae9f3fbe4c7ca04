using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>Whole-buffer positioned reads and writes: no shared file cursor, so disjoint writers never contend.</summary>
internal static class PositionedIO
{
    public static void WriteAll(SafeFileHandle handle, long offset, ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            // RandomAccess.Write loops over short writes itself and throws on a zero-byte write.
            RandomAccess.Write(handle, bytes, offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("writing to the log", path, e);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; short only at end of file.</summary>
    public static int ReadFill(SafeFileHandle handle, long offset, Span<byte> buffer, string path)
    {
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer[total..], offset + total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("reading from the log", path, e);
        }

        return total;
    }

    public static void SetLength(SafeFileHandle handle, long length, string path)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("changing the length of a log file", path, e);
        }
    }
}
