using System.Buffers.Binary;

namespace WalActors.Tests.Crash;

/// <summary>
/// The identity every crash-test payload carries in its first bytes, so a record found after a crash can be traced back
/// to the append that wrote it (or shown to be an invention).
/// </summary>
/// <param name="Generation">Which life of the log appended it (a new one starts after each crash).</param>
/// <param name="Producer">Which producer appended it.</param>
/// <param name="Sequence">The producer's request number, from 0.</param>
/// <param name="Index">The payload's place in its request (0 unless a batch).</param>
internal readonly record struct PayloadTag(int Generation, int Producer, int Sequence, int Index)
{
    public const int Size = 12;
    private const ushort Magic = 0xC4A5;

    public void Write(Span<byte> payload)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(payload, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[2..], checked((ushort)Generation));
        BinaryPrimitives.WriteUInt16LittleEndian(payload[4..], checked((ushort)Producer));
        BinaryPrimitives.WriteUInt16LittleEndian(payload[6..], checked((ushort)Index));
        BinaryPrimitives.WriteInt32LittleEndian(payload[8..], Sequence);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out PayloadTag tag)
    {
        tag = default;
        if (payload.Length < Size || BinaryPrimitives.ReadUInt16LittleEndian(payload) != Magic)
        {
            return false;
        }

        tag = new PayloadTag(
            BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]),
            BinaryPrimitives.ReadUInt16LittleEndian(payload[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(payload[8..]),
            BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]));
        return true;
    }

    public override string ToString() => $"g{Generation}/p{Producer}/#{Sequence}[{Index}]";
}
