using Akka.Actor;
using Akka.Persistence;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace WalActors.Persistence.Snapshots;

/// <summary>
/// The snapshot store's record layout in its log. A snapshot is one atomic batch: its first record carries the metadata
/// and the first chunk of the serialized snapshot, the rest carry further chunks, so a snapshot larger than the log's
/// record limit is still all there or not at all after a crash.
/// </summary>
/// <remarks>
/// <code>
/// save:          kind=1 | persistenceId | seqNr | timestamp (int64, DateTime.ToBinary) | serializer id (zig-zag)
///                | serializer manifest | chunk count | payload chunk (the rest)
/// chunk:         kind=2 | payload chunk (the rest)
/// delete one:    kind=3 | persistenceId | seqNr | timestamp (int64, DateTime.ToBinary; MinValue for any)
/// delete range:  kind=4 | persistenceId | min seqNr | max seqNr | min timestamp | max timestamp
/// </code>
/// A kind this build does not know is refused, never skipped: skipping could hide a delete.
/// </remarks>
internal static class SnapshotRecordCodec
{
    public const byte Save = 1;
    public const byte Chunk = 2;
    public const byte DeleteOne = 3;
    public const byte DeleteRange = 4;

    /// <summary>The bytes a save record's fields take before its payload chunk.</summary>
    public static int SaveHeaderSize(string persistenceId, long sequenceNr, int serializerId, string manifest, int chunks) =>
        1 + RecordFieldWriter.SizeOfString(persistenceId) + RecordFieldWriter.SizeOfVarUInt((ulong)sequenceNr) + 8
        + RecordFieldWriter.SizeOfZigZag(serializerId) + RecordFieldWriter.SizeOfString(manifest) + RecordFieldWriter.SizeOfVarUInt((ulong)chunks);

    public static byte[] EncodeSave(SnapshotKey key, int serializerId, string manifest, int chunks, ReadOnlySpan<byte> firstChunk)
    {
        var record = new byte[SaveHeaderSize(key.PersistenceId, key.SequenceNr, serializerId, manifest, chunks) + firstChunk.Length];
        var writer = new RecordFieldWriter(record);
        writer.WriteByte(Save);
        writer.WriteString(key.PersistenceId);
        writer.WriteVarUInt((ulong)key.SequenceNr);
        writer.WriteInt64(key.Timestamp);
        writer.WriteZigZag(serializerId);
        writer.WriteString(manifest);
        writer.WriteVarUInt((ulong)chunks);
        writer.WriteBytes(firstChunk);
        return record;
    }

    /// <summary>
    /// Serializes <paramref name="snapshot"/> with the serializer bound to its type (under <c>WithTransport</c>, so actor
    /// references survive) and frames it as one save: metadata and the first chunk, then the rest in chunks, each record
    /// at most <paramref name="limit"/> bytes.
    /// </summary>
    /// <exception cref="RecordTooLargeException">The save's fields alone do not fit in <paramref name="limit"/> (named <paramref name="setting"/>).</exception>
    public static (SnapshotKey Key, List<byte[]> Records) Frame(ExtendedActorSystem system, SnapshotMetadata metadata, object snapshot, int limit, string setting)
    {
        var serializer = system.Serialization.FindSerializerFor(snapshot);
        var bytes = AkkaSerialization.WithTransport(system, (serializer, snapshot), state => state.serializer.ToBinary(state.snapshot));
        var manifest = AkkaSerialization.ManifestFor(serializer, snapshot);
        var key = new SnapshotKey(metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp.ToBinary());
        var header = SaveHeaderSize(key.PersistenceId, key.SequenceNr, serializer.Identifier, manifest, chunks: int.MaxValue);
        if (header >= limit)
        {
            throw new RecordTooLargeException(header, limit, setting);
        }

        var first = Math.Min(bytes.Length, limit - header);
        var rest = bytes.Length - first;
        var chunks = 1 + (rest + limit - 2) / (limit - 1);
        var records = new List<byte[]>(chunks) { EncodeSave(key, serializer.Identifier, manifest, chunks, bytes.AsSpan(0, first)) };
        for (var offset = first; offset < bytes.Length; offset += limit - 1)
        {
            records.Add(EncodeChunk(bytes.AsSpan(offset, Math.Min(limit - 1, bytes.Length - offset))));
        }

        return (key, records);
    }

    /// <summary>The snapshot a whole save's records (see <see cref="DecodeSave"/>) hold, deserialized, with its metadata.</summary>
    /// <exception cref="InvalidDataException">The records are not one whole save.</exception>
    public static SelectedSnapshot Deserialize(ExtendedActorSystem system, IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        var (key, serializerId, manifest, payload) = DecodeSave(records);
        var snapshot = system.Serialization.Deserialize(payload, serializerId, manifest);
        return new SelectedSnapshot(new SnapshotMetadata(key.PersistenceId, key.SequenceNr, DateTime.FromBinary(key.Timestamp)), snapshot);
    }

    public static byte[] EncodeChunk(ReadOnlySpan<byte> chunk)
    {
        var record = new byte[1 + chunk.Length];
        record[0] = Chunk;
        chunk.CopyTo(record.AsSpan(1));
        return record;
    }

    public static byte[] EncodeDeleteOne(SnapshotKey key)
    {
        var record = new byte[1 + RecordFieldWriter.SizeOfString(key.PersistenceId) + RecordFieldWriter.SizeOfVarUInt((ulong)key.SequenceNr) + 8];
        var writer = new RecordFieldWriter(record);
        writer.WriteByte(DeleteOne);
        writer.WriteString(key.PersistenceId);
        writer.WriteVarUInt((ulong)key.SequenceNr);
        writer.WriteInt64(key.Timestamp);
        return record;
    }

    public static byte[] EncodeDeleteRange(string persistenceId, SnapshotRange range)
    {
        var record = new byte[1 + RecordFieldWriter.SizeOfString(persistenceId) + RecordFieldWriter.SizeOfVarUInt((ulong)range.MinSequenceNr)
            + RecordFieldWriter.SizeOfVarUInt((ulong)range.MaxSequenceNr) + 16];
        var writer = new RecordFieldWriter(record);
        writer.WriteByte(DeleteRange);
        writer.WriteString(persistenceId);
        writer.WriteVarUInt((ulong)range.MinSequenceNr);
        writer.WriteVarUInt((ulong)range.MaxSequenceNr);
        writer.WriteInt64(range.MinTimestamp);
        writer.WriteInt64(range.MaxTimestamp);
        return record;
    }

    /// <summary>Applies one record of the log to <paramref name="index"/> as recovery reads it back.</summary>
    /// <exception cref="InvalidDataException">The record is not one this build can read.</exception>
    public static void Apply(ReadOnlySpan<byte> record, Lsn lsn, SnapshotIndex index)
    {
        var reader = new RecordFieldReader(record);
        switch (reader.ReadByte())
        {
            case Save:
                var (key, records) = ReadSaveHeader(record);
                index.Saved(key, new SnapshotLocation(lsn, records));
                break;
            case Chunk:
                break;
            case DeleteOne:
                index.DeleteOne(new SnapshotKey(reader.ReadString(), reader.ReadVarLong(), reader.ReadInt64()));
                break;
            case DeleteRange:
                var persistenceId = reader.ReadString();
                index.DeleteRange(persistenceId, new SnapshotRange(reader.ReadVarLong(), reader.ReadVarLong(), reader.ReadInt64(), reader.ReadInt64()));
                break;
            default:
                throw new InvalidDataException($"unknown snapshot record kind {record[0]}");
        }
    }

    /// <summary>A save record's key and how many records (itself and its chunks) the save has.</summary>
    /// <exception cref="InvalidDataException">The record is not a save.</exception>
    public static (SnapshotKey Key, int Records) ReadSaveHeader(ReadOnlySpan<byte> record)
    {
        var reader = new RecordFieldReader(record);
        if (reader.ReadByte() != Save)
        {
            throw new InvalidDataException("the record is not a snapshot save");
        }

        var key = new SnapshotKey(reader.ReadString(), reader.ReadVarLong(), reader.ReadInt64());
        reader.ReadZigZagInt();
        reader.ReadString();
        return (key, (int)reader.ReadVarUInt());
    }

    /// <summary>The metadata and the whole serialized snapshot of a save's records, read back in order.</summary>
    /// <exception cref="InvalidDataException">The records are not one whole save.</exception>
    public static (SnapshotKey Key, int SerializerId, string Manifest, byte[] Payload) DecodeSave(IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        var first = new RecordFieldReader(records[0].Span);
        if (first.ReadByte() != Save)
        {
            throw new InvalidDataException("a snapshot does not begin with its save record");
        }

        var key = new SnapshotKey(first.ReadString(), first.ReadVarLong(), first.ReadInt64());
        var serializerId = first.ReadZigZagInt();
        var manifest = first.ReadString();
        var chunks = (int)first.ReadVarUInt();
        if (records.Count != chunks)
        {
            throw new InvalidDataException($"a snapshot of {chunks} records came back as {records.Count}");
        }

        var headerSize = first.Position;
        var payload = new byte[records.Sum(r => r.Length - 1) - (headerSize - 1)];
        records[0].Span[headerSize..].CopyTo(payload);
        var position = records[0].Length - headerSize;
        for (var i = 1; i < records.Count; i++)
        {
            var chunk = records[i].Span;
            if (chunk[0] != Chunk)
            {
                throw new InvalidDataException("a snapshot's record is not one of its chunks");
            }

            chunk[1..].CopyTo(payload.AsSpan(position));
            position += chunk.Length - 1;
        }

        return (key, serializerId, manifest, payload);
    }
}
