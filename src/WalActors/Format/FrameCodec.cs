using System.Buffers.Binary;

namespace WalActors.Format;

/// <summary>
/// The on-disk frame: a 16-byte header, the payload, and zero padding to an 8-byte boundary.
/// </summary>
/// <remarks>
/// <code>
/// offset size field
///  0     2    magic "WA"          never zero, so zero-filled space is never a frame
///  2     1    format version      checked by every reader; a newer version is refused, not misread
///  3     1    kind                Full, or First / Middle / Last of an atomic batch
///  4     4    payload length      bounded by the maximum record size before anything is allocated
///  8     4    position check      the frame's own LSN folded to 32 bits: a frame read at the wrong
///                                 place (stale, misplaced, or found while resynchronising) fails
/// 12     4    CRC-32C             over bytes 0..12, the payload and the padding
/// </code>
/// The 8-byte alignment lets recovery look for valid frames beyond a damaged one by probing aligned
/// positions only. All integers are little-endian.
/// </remarks>
internal static class FrameCodec
{
    public const int HeaderSize = 16;
    public const int Alignment = 8;
    public const byte CurrentVersion = 1;
    public const byte Magic0 = (byte)'W';
    public const byte Magic1 = (byte)'A';
    private const int ChecksumOffset = 12;

    public static int FrameSize(int payloadLength) => (HeaderSize + payloadLength + Alignment - 1) & ~(Alignment - 1);

    public static long FrameSize(long payloadLength) => (HeaderSize + payloadLength + Alignment - 1) & ~(long)(Alignment - 1);

    public static uint PositionCheck(long lsn) => (uint)lsn ^ (uint)(lsn >>> 32);

    /// <summary>Writes the whole frame for <paramref name="payload"/> at the start of <paramref name="destination"/>; returns its size.</summary>
    public static int Encode(Span<byte> destination, long lsn, FrameKind kind, ReadOnlySpan<byte> payload)
    {
        var size = FrameSize(payload.Length);
        var frame = destination[..size];
        payload.CopyTo(frame[HeaderSize..]);
        frame[(HeaderSize + payload.Length)..].Clear();
        WriteHeader(frame, lsn, kind, payload.Length);
        return size;
    }

    /// <summary>Fills in the header and checksum of a frame whose payload and padding are already in place.</summary>
    public static void WriteHeader(Span<byte> frame, long lsn, FrameKind kind, int payloadLength)
    {
        frame[0] = Magic0;
        frame[1] = Magic1;
        frame[2] = CurrentVersion;
        frame[3] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[8..], PositionCheck(lsn));
        BinaryPrimitives.WriteUInt32LittleEndian(frame[ChecksumOffset..], Checksum(frame[..FrameSize(payloadLength)]));
    }

    /// <summary>
    /// Checks a header read at <paramref name="lsn"/>. <paramref name="available"/> may be shorter than a header when the store ends.
    /// </summary>
    public static FrameFault CheckHeader(ReadOnlySpan<byte> available, long lsn, int maxRecordSize, out FrameKind kind, out int payloadLength)
    {
        kind = default;
        payloadLength = 0;
        var header = available.Length >= HeaderSize ? available[..HeaderSize] : available;
        if (header.IndexOfAnyExcept((byte)0) < 0)
        {
            return header.Length < HeaderSize && header.Length > 0 ? FrameFault.Short : FrameFault.Zeros;
        }

        if (!StartsWithMagic(header))
        {
            return IsTornMagic(header) ? FrameFault.Short : FrameFault.BadMagic;
        }

        if (header.Length < HeaderSize)
        {
            return FrameFault.Short;
        }

        var version = header[2];
        if (version > CurrentVersion)
        {
            return FrameFault.FutureVersion;
        }

        kind = (FrameKind)header[3];
        if (version == 0 || kind is < FrameKind.Full or > FrameKind.Last
            || BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != PositionCheck(lsn))
        {
            return FrameFault.BadHeader;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length > (uint)maxRecordSize)
        {
            return FrameFault.TooLarge;
        }

        payloadLength = (int)length;
        return FrameFault.None;
    }

    /// <summary>Whether the checksum of a complete frame (header, payload, padding) matches.</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> frame) =>
        BinaryPrimitives.ReadUInt32LittleEndian(frame[ChecksumOffset..]) == Checksum(frame);

    private static uint Checksum(ReadOnlySpan<byte> frame)
    {
        var state = Crc32C.Append(Crc32C.Start(), frame[..ChecksumOffset]);
        return Crc32C.Finish(Crc32C.Append(state, frame[HeaderSize..]));
    }

    private static bool StartsWithMagic(ReadOnlySpan<byte> header) =>
        header.Length >= 2 && header[0] == Magic0 && header[1] == Magic1;

    // A write torn inside the first two bytes leaves a prefix of the magic followed by zeros.
    private static bool IsTornMagic(ReadOnlySpan<byte> header) =>
        header[0] == Magic0 && header[1..].IndexOfAnyExcept((byte)0) < 0;
}
