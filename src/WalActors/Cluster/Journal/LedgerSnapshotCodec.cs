using WalActors.Persistence;

namespace WalActors.Cluster.Journal;

/// <summary>
/// The cluster snapshot store's records in a shard's ledger, each alone in a ledger entry beside the journal's. They
/// wrap the single-node snapshot store's records (<see cref="Persistence.Snapshots.SnapshotRecordCodec"/>) behind a
/// first byte the journal's record kinds (1, 2) never take, so that a build without snapshots refuses them rather than
/// reading them as events:
/// <code>
/// save:   16 | snapshot save record (metadata, chunk count, first chunk)
/// chunk:  17 | position of the save's entry (varint) | snapshot chunk record
/// delete: 18 | snapshot delete record (one, or a range)
/// </code>
/// A save larger than one entry is its save entry and then chunk entries, appended one by one: a ledger entry must
/// cross Akka.Remote in one frame, and the journal's own entries may fall between them, so each chunk names its save.
/// </summary>
internal static class LedgerSnapshotCodec
{
    public const byte Save = 16;
    public const byte Chunk = 17;
    public const byte Delete = 18;

    /// <summary>The most bytes of one save's record in one entry: with its framing, well inside Akka.Remote's default 128,000-byte frame.</summary>
    public const int EntryBytes = 48 * 1024;

    public static bool IsSnapshotRecord(ReadOnlySpan<byte> record) => !record.IsEmpty && record[0] is Save or Chunk or Delete;

    public static byte[] EncodeSave(byte[] saveRecord) => Entry(Save, [], saveRecord);

    public static byte[] EncodeChunk(long savePosition, byte[] chunkRecord)
    {
        var position = new byte[RecordFieldWriter.SizeOfVarUInt((ulong)savePosition)];
        new RecordFieldWriter(position).WriteVarUInt((ulong)savePosition);
        return Entry(Chunk, position, chunkRecord);
    }

    public static byte[] EncodeDelete(byte[] deleteRecord) => Entry(Delete, [], deleteRecord);

    /// <summary>The snapshot store's record inside <paramref name="record"/>, and for a chunk the position of its save (else -1).</summary>
    /// <exception cref="InvalidDataException">The record is not one of these.</exception>
    public static (ReadOnlyMemory<byte> Inner, long SavePosition) Decode(ReadOnlyMemory<byte> record)
    {
        if (!IsSnapshotRecord(record.Span))
        {
            throw new InvalidDataException("The ledger record is not a snapshot record.");
        }

        if (record.Span[0] != Chunk)
        {
            return (record[1..], -1);
        }

        var reader = new RecordFieldReader(record.Span[1..]);
        var savePosition = reader.ReadVarLong();
        return (record[(1 + reader.Position)..], savePosition);
    }

    private static byte[] Entry(byte kind, byte[] prefix, byte[] inner)
    {
        var record = new byte[1 + prefix.Length + inner.Length];
        record[0] = kind;
        prefix.CopyTo(record, 1);
        inner.CopyTo(record, 1 + prefix.Length);
        return LedgerEntryCodec.Encode([record]);
    }
}
