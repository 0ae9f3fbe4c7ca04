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
///  3     1    kind                Full, First / Middle / Last of an atomic batch, Marker, or Commit
///  4     4    payload length      bounded by the maximum record size before anything is allocated
///  8     4    durable lag         the frame's LSN minus the durable end its writer knew when it framed it
/// 12     4    CRC-32C             over the frame's own LSN (8 bytes), bytes 0..12, the payload and the padding
/// </code>
/// <para>The durable lag is BookKeeper's "last add confirmed" carried on every entry: every valid frame proves that
/// everything below <c>LSN - lag</c> was once on stable storage, so recovery can call an invalid frame below that point
/// damage whatever its distance from the tail. It costs no byte and no I/O: the writer learns the durable end from the
/// sequencer with its reservation.</para>
/// <para>The LSN is folded into the checksum rather than stored: a frame read anywhere but where it was written
/// (stale bytes of a recycled or overwritten region, a frame found while resynchronising) fails its checksum.</para>
/// <para>Version 1 frames (written before the durable lag existed) store a 32-bit position check at offset 8 and
/// checksum bytes 0..12 and the payload only; they stay readable and carry no durable end.</para>
/// <para>The 8-byte alignment lets recovery look for valid frames beyond a damaged one by probing aligned positions
/// only. All integers are little-endian.</para>
/// </remarks>
internal static class FrameCodec
{
    public const int HeaderSize = 16;
    public const int Alignment = 8;
    public const byte CurrentVersion = 2;
    public const byte Magic0 = (byte)'W';
    public const byte Magic1 = (byte)'A';

    /// <summary>The largest distance a frame may lie past the durable end its writer knew (the lag field's range).</summary>
    public const long MaxDurableLag = uint.MaxValue;

    private const byte LegacyVersion = 1;
    private const int ChecksumOffset = 12;

    public static int FrameSize(int payloadLength) => (HeaderSize + payloadLength + Alignment - 1) & ~(Alignment - 1);

    public static long FrameSize(long payloadLength) => (HeaderSize + payloadLength + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>The size of a marker frame, which carries no payload.</summary>
    public static int MarkerSize => FrameSize(0);

    /// <summary>Writes the whole frame for <paramref name="payload"/> at the start of <paramref name="destination"/>; returns its size.</summary>
    /// <param name="destination">Where the frame goes; at least <see cref="FrameSize(int)"/> bytes.</param>
    /// <param name="lsn">The position the frame will be written at.</param>
    /// <param name="kind">What the frame is within its atomic unit.</param>
    /// <param name="payload">The record's bytes.</param>
    /// <param name="durableEnd">Everything below this position is known to be on stable storage; at most <paramref name="lsn"/>.</param>
    public static int Encode(Span<byte> destination, long lsn, FrameKind kind, ReadOnlySpan<byte> payload, long durableEnd)
    {
        var size = FrameSize(payload.Length);
        var frame = destination[..size];
        payload.CopyTo(frame[HeaderSize..]);
        frame[(HeaderSize + payload.Length)..].Clear();
        WriteHeader(frame, lsn, kind, payload.Length, durableEnd);
        return size;
    }

    /// <summary>Fills in the header and checksum of a frame whose payload and padding are already in place.</summary>
    public static void WriteHeader(Span<byte> frame, long lsn, FrameKind kind, int payloadLength, long durableEnd)
    {
        var lag = lsn - durableEnd;
        if ((ulong)lag > MaxDurableLag)
        {
            throw new ArgumentOutOfRangeException(nameof(durableEnd), durableEnd, $"The durable end must lie at most {MaxDurableLag} bytes before the frame at {lsn}.");
        }

        frame[0] = Magic0;
        frame[1] = Magic1;
        frame[2] = CurrentVersion;
        frame[3] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[8..], (uint)lag);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[ChecksumOffset..], Checksum(frame[..FrameSize(payloadLength)], lsn, CurrentVersion));
    }

    /// <inheritdoc cref="CheckHeader(ReadOnlySpan{byte}, long, int, out FrameKind, out int, out long)"/>
    public static FrameFault CheckHeader(ReadOnlySpan<byte> available, long lsn, int maxRecordSize, out FrameKind kind, out int payloadLength) =>
        CheckHeader(available, lsn, maxRecordSize, out kind, out payloadLength, out _);

    /// <summary>
    /// Checks a header read at <paramref name="lsn"/>. <paramref name="available"/> may be shorter than a header when the store ends.
    /// <paramref name="durableEnd"/> is what the frame claims was durable when it was framed, or -1 for a version 1 frame;
    /// it is trustworthy only once the checksum matched too.
    /// </summary>
    public static FrameFault CheckHeader(
        ReadOnlySpan<byte> available, long lsn, int maxRecordSize, out FrameKind kind, out int payloadLength, out long durableEnd)
    {
        kind = default;
        payloadLength = 0;
        durableEnd = -1;
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
        var field = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var headerValid = version switch
        {
            LegacyVersion => kind is >= FrameKind.Full and <= FrameKind.Last && field == LegacyPositionCheck(lsn),
            CurrentVersion => kind is >= FrameKind.Full and <= FrameKind.Marker or FrameKind.Commit && field <= lsn,
            _ => false,
        };
        if (!headerValid)
        {
            return FrameFault.BadHeader;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length > (uint)maxRecordSize)
        {
            return FrameFault.TooLarge;
        }

        payloadLength = (int)length;
        durableEnd = version == CurrentVersion ? lsn - field : -1;
        return FrameFault.None;
    }

    /// <summary>The payload length a frame's header declares (the header must have been checked).</summary>
    public static int PayloadLength(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[4..]);

    /// <summary>Whether the checksum of a complete frame (header, payload, padding) read at <paramref name="lsn"/> matches.</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> frame, long lsn) =>
        BinaryPrimitives.ReadUInt32LittleEndian(frame[ChecksumOffset..]) == Checksum(frame, lsn, frame[2]);

    /// <summary>The checksum a frame carries in its header: with its LSN, what tells this frame from any other.</summary>
    public static uint StoredChecksum(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt32LittleEndian(frame[ChecksumOffset..]);

    private static uint LegacyPositionCheck(long lsn) => (uint)lsn ^ (uint)(lsn >>> 32);

    private static uint Checksum(ReadOnlySpan<byte> frame, long lsn, byte version)
    {
        var state = Crc32C.Start();
        if (version != LegacyVersion)
        {
            Span<byte> position = stackalloc byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(position, lsn);
            state = Crc32C.Append(state, position);
        }

        state = Crc32C.Append(state, frame[..ChecksumOffset]);
        return Crc32C.Finish(Crc32C.Append(state, frame[HeaderSize..]));
    }

    private static bool StartsWithMagic(ReadOnlySpan<byte> header) =>
        header.Length >= 2 && header[0] == Magic0 && header[1] == Magic1;

    // A write torn inside the first two bytes leaves a prefix of the magic followed by zeros.
    private static bool IsTornMagic(ReadOnlySpan<byte> header) =>
        header[0] == Magic0 && header[1..].IndexOfAnyExcept((byte)0) < 0;
}
