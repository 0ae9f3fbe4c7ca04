using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>
/// The file of a compacted segment: the bytes compaction kept, back to back, and the table that says where each run of
/// them lies in the log. Written whole under a temporary name, synced, then renamed over the segment's name, so a crash
/// leaves either the old segment or the complete new file, never a part of one.
/// </summary>
/// <remarks>
/// <code>
/// header  32 bytes: magic "WACSEG01" | base offset | segment size (int64 LE) | version 1 (uint32) | CRC-32 of bytes 0..28
/// data    the kept bytes, extent after extent
/// table   per extent: log position (int64) | length (int32)
/// footer  24 bytes: table offset (int64) | extent count (int32) | CRC-32 of the table and footer bytes 0..12 | magic "WACSEND1"
/// </code>
/// The frames inside keep their own checksums; the file's checksums cover only what says where the frames are.
/// </remarks>
internal static class CompactedSegmentFile
{
    public const int HeaderSize = 32;
    private const int FooterSize = 24;
    private const int TableEntrySize = 12;
    private const uint Version = 1;
    private const int PaceBytes = 4 * 1024 * 1024;
    private static ReadOnlySpan<byte> HeaderMagic => "WACSEG01"u8;
    private static ReadOnlySpan<byte> FooterMagic => "WACSEND1"u8;

    /// <summary>Writes the compacted file of the segment at <paramref name="baseOffset"/> and puts it in place durably.</summary>
    /// <param name="directory">The log's directory.</param>
    /// <param name="baseOffset">The segment's base offset.</param>
    /// <param name="segmentSize">The log's segment size.</param>
    /// <param name="kept">What to keep, in increasing position, not overlapping, inside the segment.</param>
    /// <param name="commit">Asked once the file is written: false deletes it and returns null (nothing was worth replacing).</param>
    /// <param name="beforeRename">Called once the new file is complete and synced, before it replaces anything (a test's crash point).</param>
    /// <returns>The new file's path and its layout, or null when not committed.</returns>
    public static (string Path, CompactedLayout Layout)? Write(
        string directory, long baseOffset, long segmentSize, IEnumerable<KeptBytes> kept, Func<bool>? commit = null, Action? beforeRename = null)
    {
        var path = Path.Combine(directory, SegmentFileNames.ForCompacted(baseOffset));
        var pending = path + SegmentFileNames.PendingExtension;
        var positions = new List<long>();
        var lengths = new List<int>();
        try
        {
            using (var file = new FileStream(pending, FileMode.Create, FileAccess.Write, FileShare.Read, 1024 * 1024))
            {
                file.Write(Header(baseOffset, segmentSize));
                long nextFree = baseOffset;
                long unsynced = 0;
                foreach (var piece in kept)
                {
                    Check(piece, baseOffset, segmentSize, nextFree, path);
                    if (piece.Bytes.IsEmpty)
                    {
                        continue;
                    }

                    if (positions.Count > 0 && positions[^1] + lengths[^1] == piece.Position && (long)lengths[^1] + piece.Bytes.Length <= int.MaxValue)
                    {
                        lengths[^1] += piece.Bytes.Length;
                    }
                    else
                    {
                        positions.Add(piece.Position);
                        lengths.Add(piece.Bytes.Length);
                    }

                    file.Write(piece.Bytes.Span);
                    nextFree = piece.Position + piece.Bytes.Length;
                    unsynced += piece.Bytes.Length;

                    // A barrier waits for everything the device has queued, the log's own appends' barriers included:
                    // syncing as it goes keeps what they can wait behind to one pace's worth.
                    if (unsynced >= PaceBytes)
                    {
                        file.Flush();
                        DurabilityBarrier.Flush(file.SafeFileHandle, pending);
                        unsynced = 0;
                    }
                }

                var tableOffset = file.Position;
                var table = Table(positions, lengths, tableOffset);
                file.Write(table);
                file.Flush();
                DurabilityBarrier.Flush(file.SafeFileHandle, pending);
            }

            if (commit is not null && !commit())
            {
                SegmentFile.TryDelete(pending);
                return null;
            }

            beforeRename?.Invoke();
            File.Move(pending, path, overwrite: true);
            DurabilityBarrier.FlushDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SegmentFile.TryDelete(pending);
            throw StoreErrors.Wrap("writing a compacted segment", path, e);
        }
        catch
        {
            SegmentFile.TryDelete(pending);
            throw;
        }

        return (path, new CompactedLayout([.. positions], [.. lengths], HeaderSize));
    }

    /// <summary>Opens a compacted segment file and checks that it is whole and belongs where it is.</summary>
    /// <exception cref="LogDamagedException">The file is cut, altered, or made for another segment.</exception>
    public static (SafeFileHandle Handle, CompactedLayout Layout) Open(string path, long baseOffset, long segmentSize, bool readOnly)
    {
        var handle = SegmentFile.Open(path, readOnly);
        try
        {
            return (handle, ReadLayout(handle, path, baseOffset, segmentSize));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static CompactedLayout ReadLayout(SafeFileHandle handle, string path, long baseOffset, long segmentSize)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        var name = Path.GetFileName(path);
        LogDamagedException Damaged(string why) => new(directory, baseOffset, $"compacted segment file '{name}' {why}");

        var length = RandomAccess.GetLength(handle);
        if (length < HeaderSize + FooterSize)
        {
            throw Damaged($"is {length} bytes, shorter than its header and footer");
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        PositionedIO.ReadFill(handle, 0, header, path);
        if (!header[..8].SequenceEqual(HeaderMagic) || BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Crc32.HashToUInt32(header[..28]))
        {
            throw Damaged("has no valid header");
        }

        if (BinaryPrimitives.ReadInt64LittleEndian(header[8..]) != baseOffset || BinaryPrimitives.ReadInt64LittleEndian(header[16..]) != segmentSize)
        {
            throw Damaged("was made for another segment or segment size");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) != Version)
        {
            throw Damaged($"has version {BinaryPrimitives.ReadUInt32LittleEndian(header[24..])}, which this build does not read");
        }

        Span<byte> footer = stackalloc byte[FooterSize];
        PositionedIO.ReadFill(handle, length - FooterSize, footer, path);
        var tableOffset = BinaryPrimitives.ReadInt64LittleEndian(footer);
        var count = BinaryPrimitives.ReadInt32LittleEndian(footer[8..]);
        if (!footer[16..].SequenceEqual(FooterMagic) || count < 0 || tableOffset < HeaderSize
            || tableOffset + (long)count * TableEntrySize + FooterSize != length)
        {
            throw Damaged("has no valid footer (the file was cut or extended)");
        }

        var table = new byte[count * TableEntrySize + 12];
        PositionedIO.ReadFill(handle, tableOffset, table.AsSpan(0, count * TableEntrySize), path);
        footer[..12].CopyTo(table.AsSpan(count * TableEntrySize));
        if (Crc32.HashToUInt32(table) != BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]))
        {
            throw Damaged("has a table whose checksum does not match");
        }

        var positions = new long[count];
        var lengths = new int[count];
        long previousEnd = -1;
        long dataBytes = 0;
        for (var i = 0; i < count; i++)
        {
            positions[i] = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(i * TableEntrySize));
            lengths[i] = BinaryPrimitives.ReadInt32LittleEndian(table.AsSpan(i * TableEntrySize + 8));
            if (lengths[i] <= 0 || positions[i] <= previousEnd || positions[i] < baseOffset || positions[i] + lengths[i] > baseOffset + segmentSize)
            {
                throw Damaged($"has extent {i} out of order or outside the segment");
            }

            previousEnd = positions[i] + lengths[i];
            dataBytes += lengths[i];
        }

        if (HeaderSize + dataBytes != tableOffset)
        {
            throw Damaged("holds a different number of bytes than its table says");
        }

        return new CompactedLayout(positions, lengths, HeaderSize);
    }

    private static byte[] Header(long baseOffset, long segmentSize)
    {
        var header = new byte[HeaderSize];
        HeaderMagic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), baseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), segmentSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Crc32.HashToUInt32(header.AsSpan(0, 28)));
        return header;
    }

    private static byte[] Table(List<long> positions, List<int> lengths, long tableOffset)
    {
        var count = positions.Count;
        var bytes = new byte[count * TableEntrySize + FooterSize];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * TableEntrySize), positions[i]);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * TableEntrySize + 8), lengths[i]);
        }

        var footer = bytes.AsSpan(count * TableEntrySize);
        BinaryPrimitives.WriteInt64LittleEndian(footer, tableOffset);
        BinaryPrimitives.WriteInt32LittleEndian(footer[8..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], Crc32.HashToUInt32(bytes.AsSpan(0, count * TableEntrySize + 12)));
        FooterMagic.CopyTo(footer[16..]);
        return bytes;
    }

    private static void Check(KeptBytes piece, long baseOffset, long segmentSize, long nextFree, string path)
    {
        if (piece.Position < nextFree || piece.Position + piece.Bytes.Length > baseOffset + segmentSize)
        {
            throw new InvalidOperationException(
                $"Compaction of '{path}' was handed bytes at {piece.Position} (length {piece.Bytes.Length}) out of order or outside the segment.");
        }
    }
}
