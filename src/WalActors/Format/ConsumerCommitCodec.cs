using System.Buffers.Binary;
using System.Text;

namespace WalActors.Format;

/// <summary>
/// The payload of a <see cref="FrameKind.Commit"/> frame:
/// <c>version (1) | flags (1: lossy, 2: removed) | next (int64) | name length (uint16) | name (UTF-8)</c>, little-endian.
/// </summary>
/// <remarks>A fixed layout (not varints): a commit is small and rare, and a fixed layout is trivially checked.</remarks>
internal static class ConsumerCommitCodec
{
    /// <summary>The longest consumer name, in UTF-8 bytes: enough for a projection name and a slice, small enough to list.</summary>
    public const int MaxNameBytes = 256;

    private const byte Version = 1;
    private const byte LossyFlag = 1;
    private const byte RemovedFlag = 2;
    private const int FixedSize = 1 + 1 + 8 + 2;

    /// <summary>Checks a consumer name; the message says what is wrong, or null when it is fine.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrEmpty(name) ? "a consumer needs a non-empty name"
        : Encoding.UTF8.GetByteCount(name) > MaxNameBytes ? $"a consumer name is at most {MaxNameBytes} UTF-8 bytes; '{name[..Math.Min(name.Length, 40)]}…' is longer"
        : null;

    public static byte[] Encode(in ConsumerCommit commit)
    {
        var name = Encoding.UTF8.GetBytes(commit.Name);
        if (name.Length is 0 or > MaxNameBytes || commit.Next < 0)
        {
            throw new ArgumentException(Problem(commit.Name) ?? $"a committed position cannot be negative ({commit.Next})", nameof(commit));
        }

        var payload = new byte[FixedSize + name.Length];
        payload[0] = Version;
        payload[1] = (byte)((commit.Lossy ? LossyFlag : 0) | (commit.Removed ? RemovedFlag : 0));
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(2), commit.Next);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(10), (ushort)name.Length);
        name.CopyTo(payload, FixedSize);
        return payload;
    }

    /// <summary>Decodes a commit frame's payload.</summary>
    /// <exception cref="InvalidDataException">The payload is not a commit this version knows.</exception>
    public static ConsumerCommit Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FixedSize || payload[0] != Version)
        {
            throw new InvalidDataException(payload.Length < FixedSize
                ? $"a consumer commit of {payload.Length} bytes is too short"
                : $"a consumer commit of version {payload[0]} is unknown (this version reads {Version})");
        }

        var flags = payload[1];
        var next = BinaryPrimitives.ReadInt64LittleEndian(payload[2..]);
        var length = BinaryPrimitives.ReadUInt16LittleEndian(payload[10..]);
        if ((flags & ~(LossyFlag | RemovedFlag)) != 0 || next < 0 || length is 0 or > MaxNameBytes || payload.Length != FixedSize + length)
        {
            throw new InvalidDataException("a consumer commit's fields are inconsistent");
        }

        return new ConsumerCommit(Encoding.UTF8.GetString(payload.Slice(FixedSize, length)), next, (flags & LossyFlag) != 0, (flags & RemovedFlag) != 0);
    }
}
