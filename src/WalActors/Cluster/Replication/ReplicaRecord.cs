using System.Buffers.Binary;

namespace WalActors.Cluster.Replication;

/// <summary>
/// The records of a replica's local log. The log is append-only and assigns its own LSNs, so each record says which
/// ledger position it holds; replaying the records in log order rebuilds the replica exactly:
/// <code>
/// entry     kind=1 | writer epoch | entry epoch | position | payload (the rest)
/// fence     kind=2 | epoch
/// truncate  kind=3 | writer epoch | position
/// committed kind=4 | position
/// </code>
/// A truncate starts every batch of a new writer: it drops the positions from its own on (entries no quorum held,
/// left by an older writer) in the same atomic log batch as the entries that replace them. A committed record holds the
/// quorum end the current writer told the copy (BookKeeper's last-add-confirmed): every entry below it is acknowledged,
/// the same on every copy, and never truncated, so readers of the copy may see it.
/// </summary>
internal readonly record struct ReplicaRecord(ReplicaRecordKind Kind, long WriterEpoch, long EntryEpoch, long Position, ReadOnlyMemory<byte> Payload)
{
    private const int EntryHeader = 1 + 8 + 8 + 8;

    public static byte[] Entry(long writerEpoch, long position, LedgerEntry entry)
    {
        var bytes = new byte[EntryHeader + entry.Payload.Length];
        bytes[0] = (byte)ReplicaRecordKind.Entry;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), writerEpoch);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(9), entry.Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(17), position);
        entry.Payload.CopyTo(bytes.AsSpan(EntryHeader));
        return bytes;
    }

    public static byte[] Fence(long epoch)
    {
        var bytes = new byte[1 + 8];
        bytes[0] = (byte)ReplicaRecordKind.Fence;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), epoch);
        return bytes;
    }

    public static byte[] Truncate(long writerEpoch, long position)
    {
        var bytes = new byte[1 + 8 + 8];
        bytes[0] = (byte)ReplicaRecordKind.Truncate;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), writerEpoch);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(9), position);
        return bytes;
    }

    public static byte[] Committed(long end)
    {
        var bytes = new byte[1 + 8];
        bytes[0] = (byte)ReplicaRecordKind.Committed;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), end);
        return bytes;
    }

    /// <exception cref="InvalidDataException">The record is not one a replica writes.</exception>
    public static ReplicaRecord Decode(ReadOnlyMemory<byte> record)
    {
        var span = record.Span;
        switch (span.Length > 0 ? (ReplicaRecordKind)span[0] : 0)
        {
            case ReplicaRecordKind.Entry when span.Length >= EntryHeader:
                return new ReplicaRecord(ReplicaRecordKind.Entry, Int64(span, 1), Int64(span, 9), Int64(span, 17), record[EntryHeader..]);
            case ReplicaRecordKind.Fence when span.Length == 9:
                return new ReplicaRecord(ReplicaRecordKind.Fence, Int64(span, 1), 0, 0, default);
            case ReplicaRecordKind.Truncate when span.Length == 17:
                return new ReplicaRecord(ReplicaRecordKind.Truncate, Int64(span, 1), 0, Int64(span, 9), default);
            case ReplicaRecordKind.Committed when span.Length == 9:
                return new ReplicaRecord(ReplicaRecordKind.Committed, 0, 0, Int64(span, 1), default);
            default:
                throw new InvalidDataException($"A replica log record of {span.Length} bytes is not an entry, a fence, a truncate or a committed end.");
        }
    }

    private static long Int64(ReadOnlySpan<byte> span, int offset) => BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
}
