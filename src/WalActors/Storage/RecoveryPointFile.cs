using System.Buffers.Binary;
using System.IO.Hashing;

namespace WalActors.Storage;

/// <summary>
/// The file a log's recovery point is kept in: <c>magic (8) | end (int64) | body length (int32) | CRC-32 (4) | body</c>,
/// little-endian, the CRC over everything before it and the body. The store knows only the end the body describes; what
/// the body says is recovery's business.
/// </summary>
/// <remarks>
/// Replaced atomically (a temporary file, synced, renamed, the directory synced), so a crash leaves the old file or the
/// new one, never a mix; a file that is torn anyway (copied half, damaged) fails its CRC and reads as no recovery point.
/// </remarks>
internal static class RecoveryPointFile
{
    public const string FileName = "walactors.recovery";

    private const int HeaderSize = 24;
    private const int MaxBodySize = 64 * 1024 * 1024;
    private static ReadOnlySpan<byte> Magic => "WARECPT1"u8;

    /// <summary>The end and body stored in <paramref name="directory"/>, or null when there is none or it does not check.</summary>
    public static (long End, byte[] Body)? Read(string directory)
    {
        byte[] bytes;
        try
        {
            var path = Path.Combine(directory, FileName);
            if (!File.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable recovery point costs a full scan, never the log.
            return null;
        }

        if (bytes.Length < HeaderSize || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        var end = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        if (length < 0 || length != bytes.Length - HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)) != Checksum(bytes))
        {
            return null;
        }

        return (end, bytes[HeaderSize..]);
    }

    /// <summary>
    /// Writes and syncs the new recovery point under a temporary name; <see cref="Commit"/> then renames it into place.
    /// The two are apart so that only the rename need happen under the store's lock.
    /// </summary>
    /// <exception cref="WalIOException">The file system refused a step; the old recovery point (or none) stays.</exception>
    public static void Prepare(string directory, long end, ReadOnlySpan<byte> body, Action<string>? stepDone = null)
    {
        if (body.Length > MaxBodySize)
        {
            throw new ArgumentOutOfRangeException(nameof(body), body.Length, $"A recovery point holds at most {MaxBodySize} bytes.");
        }

        var bytes = new byte[HeaderSize + body.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), end);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), body.Length);
        body.CopyTo(bytes.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), Checksum(bytes));

        var pending = PendingPath(directory);
        try
        {
            using var handle = File.OpenHandle(pending, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
            PositionedIO.WriteAll(handle, 0, bytes, pending);
            DurabilityBarrier.Flush(handle, pending);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("writing the log's recovery point", pending, e);
        }

        stepDone?.Invoke("recovery point written");
    }

    /// <summary>Renames the prepared recovery point into place (a crash leaves the old one or the new one); then the directory must be synced.</summary>
    /// <exception cref="WalIOException">The rename failed; the old recovery point (or none) stays.</exception>
    public static void Commit(string directory, Action<string>? stepDone = null)
    {
        try
        {
            File.Move(PendingPath(directory), Path.Combine(directory, FileName), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("writing the log's recovery point", Path.Combine(directory, FileName), e);
        }

        stepDone?.Invoke("recovery point renamed");
    }

    /// <summary>Forgets a prepared recovery point that is not to be committed.</summary>
    public static void Discard(string directory) => SegmentFile.TryDelete(PendingPath(directory));

    /// <summary>Deletes the recovery point in <paramref name="directory"/>, durably, if there is one.</summary>
    public static void Delete(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            if (!File.Exists(path))
            {
                return;
            }

            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("deleting the log's recovery point", path, e);
        }

        DurabilityBarrier.FlushDirectory(directory);
    }

    private static string PendingPath(string directory) => Path.Combine(directory, FileName) + SegmentFileNames.PendingExtension;

    // Over the header before the CRC field and the body.
    private static uint Checksum(byte[] bytes)
    {
        var crc = new Crc32();
        crc.Append(bytes.AsSpan(0, 20));
        crc.Append(bytes.AsSpan(HeaderSize));
        return crc.GetCurrentHashAsUInt32();
    }
}
