using System.Buffers.Binary;
using System.Text;

namespace WalActors.Persistence.Index;

/// <summary>A persistence id as the persisted index keeps it: its name and what deletes and tombstones left of it.</summary>
/// <param name="Id">The persistence id.</param>
/// <param name="FirstLsn">The LSN of the first record that named it.</param>
/// <param name="Highest">Its highest sequence number.</param>
/// <param name="DeletedTo">How far it is deleted.</param>
/// <param name="LatestTombstoneLsn">Its newest tombstone's LSN, or -1.</param>
internal readonly record struct IdState(string Id, long FirstLsn, long Highest, long DeletedTo, long LatestTombstoneLsn)
{
    public byte[] Encode()
    {
        var name = Encoding.UTF8.GetBytes(Id);
        var bytes = new byte[32 + name.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, FirstLsn);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), Highest);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), DeletedTo);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), LatestTombstoneLsn);
        name.CopyTo(bytes, 32);
        return bytes;
    }

    /// <exception cref="InvalidDataException">The value is too short to be an id's state.</exception>
    public static IdState Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Length < 32
            ? throw new InvalidDataException($"an id's state of {bytes.Length} bytes")
            : new IdState(
                Encoding.UTF8.GetString(bytes[32..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[24..]));
}
