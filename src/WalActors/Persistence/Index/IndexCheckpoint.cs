using System.Buffers.Binary;
using System.IO.Hashing;

namespace WalActors.Persistence.Index;

/// <summary>
/// What a persisted index covers: every record of the journal's log below <see cref="CoveredEnd"/> is in it; the tail
/// from there is scanned at start. <see cref="CheckLsn"/> and <see cref="CheckCrc"/> name one record below that end and
/// the CRC-32 of its payload: a checkpoint whose log was replaced, restored from elsewhere or cut is told apart by that
/// record (or by an end the log no longer reaches), never trusted blindly.
/// </summary>
/// <param name="CoveredEnd">The log position every record below which is indexed.</param>
/// <param name="CheckLsn">The LSN of a record below the covered end, or -1 when the index holds none yet.</param>
/// <param name="CheckCrc">The CRC-32 of that record's payload.</param>
/// <param name="Ids">How many persistence ids are numbered in the index.</param>
/// <param name="Tags">How many tags are numbered in the index.</param>
/// <param name="Usage">The per-segment record counts compaction chooses by, as of the covered end.</param>
internal sealed record IndexCheckpoint(long CoveredEnd, long CheckLsn, uint CheckCrc, int Ids, int Tags, byte[] Usage)
{
    /// <summary>Bumped whenever the index's keys or values change meaning: an index of another version is rebuilt.</summary>
    public const int FormatVersion = 2;

    private const int FixedBytes = 4 + 8 + 8 + 4 + 4 + 4 + 4;

    public byte[] Encode()
    {
        var bytes = new byte[FixedBytes + Usage.Length + 4];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], CoveredEnd);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], CheckLsn);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], CheckCrc);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], Ids);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], Tags);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], Usage.Length);
        Usage.CopyTo(span[FixedBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], Crc32.HashToUInt32(span[..^4]));
        return bytes;
    }

    /// <summary>Reads a checkpoint record; null, with the reason, when it is torn, of another version or not one at all.</summary>
    public static IndexCheckpoint? Decode(ReadOnlySpan<byte> bytes, out string? problem)
    {
        problem = null;
        if (bytes.Length < FixedBytes + 4 || Crc32.HashToUInt32(bytes[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]))
        {
            problem = "its checkpoint record fails its checksum";
            return null;
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (version != FormatVersion)
        {
            problem = $"it has format version {version}, this build writes {FormatVersion}";
            return null;
        }

        var usageLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[32..]);
        if (usageLength < 0 || FixedBytes + usageLength + 4 != bytes.Length)
        {
            problem = "its checkpoint record has the wrong length";
            return null;
        }

        return new IndexCheckpoint(
            BinaryPrimitives.ReadInt64LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]),
            bytes.Slice(FixedBytes, usageLength).ToArray());
    }
}
