namespace WalActors.Persistence;

/// <summary>
/// The journal's own compact binary record layout, one log record per event or tombstone. Integers are unsigned
/// LEB128 varints unless noted; strings are a varint byte length and UTF-8.
/// </summary>
/// <remarks>
/// <code>
/// event:     kind=1 | seqNr | persistenceId | tag count | tags… | writerGuid | timestamp (int64 LE, ticks)
///            | serializer id (zig-zag) | serializer manifest | event-adapter manifest | payload (the rest)
/// tombstone: kind=2 | persistenceId | deletedTo | highest
/// </code>
/// The fields the index needs (kind, sequence number, persistence id, tags) come first, so rebuilding the index
/// reads only a record's head. A kind this build does not know is refused, never skipped: skipping could hide a delete.
/// </remarks>
internal static class JournalRecordCodec
{
    public static byte[] EncodeEvent(
        string persistenceId,
        long sequenceNr,
        IReadOnlyCollection<string> tags,
        string writerGuid,
        long timestamp,
        int serializerId,
        string serializerManifest,
        string eventManifest,
        ReadOnlySpan<byte> payload)
    {
        var size = 1 + RecordFieldWriter.SizeOfVarUInt((ulong)sequenceNr) + RecordFieldWriter.SizeOfString(persistenceId)
            + RecordFieldWriter.SizeOfVarUInt((ulong)tags.Count) + RecordFieldWriter.SizeOfString(writerGuid) + 8
            + RecordFieldWriter.SizeOfZigZag(serializerId) + RecordFieldWriter.SizeOfString(serializerManifest)
            + RecordFieldWriter.SizeOfString(eventManifest) + payload.Length;
        foreach (var tag in tags)
        {
            size += RecordFieldWriter.SizeOfString(tag);
        }

        var record = new byte[size];
        var writer = new RecordFieldWriter(record);
        writer.WriteByte((byte)JournalRecordKind.Event);
        writer.WriteVarUInt((ulong)sequenceNr);
        writer.WriteString(persistenceId);
        writer.WriteVarUInt((ulong)tags.Count);
        foreach (var tag in tags)
        {
            writer.WriteString(tag);
        }

        writer.WriteString(writerGuid);
        writer.WriteInt64(timestamp);
        writer.WriteZigZag(serializerId);
        writer.WriteString(serializerManifest);
        writer.WriteString(eventManifest);
        writer.WriteBytes(payload);
        return record;
    }

    public static byte[] EncodeTombstone(JournalTombstone tombstone)
    {
        var size = 1 + RecordFieldWriter.SizeOfString(tombstone.PersistenceId)
            + RecordFieldWriter.SizeOfVarUInt((ulong)tombstone.DeletedTo) + RecordFieldWriter.SizeOfVarUInt((ulong)tombstone.Highest);
        var record = new byte[size];
        var writer = new RecordFieldWriter(record);
        writer.WriteByte((byte)JournalRecordKind.Tombstone);
        writer.WriteString(tombstone.PersistenceId);
        writer.WriteVarUInt((ulong)tombstone.DeletedTo);
        writer.WriteVarUInt((ulong)tombstone.Highest);
        return record;
    }

    /// <summary>The record's kind.</summary>
    /// <exception cref="InvalidDataException">The record is empty or of a kind this build does not know.</exception>
    public static JournalRecordKind KindOf(ReadOnlySpan<byte> record) =>
        record.IsEmpty ? throw new InvalidDataException("The record is empty.")
        : record[0] switch
        {
            (byte)JournalRecordKind.Event => JournalRecordKind.Event,
            (byte)JournalRecordKind.Tombstone => JournalRecordKind.Tombstone,
            var other => throw new InvalidDataException($"Record kind {other} is unknown to this build (written by a newer WalActors?)."),
        };

    /// <summary>Decodes a whole event record; the payload is a slice of <paramref name="record"/>, not a copy.</summary>
    public static JournalEvent DecodeEvent(ReadOnlyMemory<byte> record)
    {
        var reader = new RecordFieldReader(record.Span);
        ExpectKind(ref reader, JournalRecordKind.Event);
        var sequenceNr = reader.ReadVarLong();
        var persistenceId = reader.ReadString();
        var tags = ReadTags(ref reader);
        var writerGuid = reader.ReadString();
        var timestamp = reader.ReadInt64();
        var serializerId = reader.ReadZigZagInt();
        var serializerManifest = reader.ReadString();
        var eventManifest = reader.ReadString();
        return new JournalEvent(persistenceId, sequenceNr, writerGuid, timestamp, serializerId, serializerManifest, eventManifest, tags, record[reader.Position..]);
    }

    /// <summary>Reads only what the index needs from an event record: its persistence id, sequence number and tags.</summary>
    public static void ReadEventKey(ReadOnlySpan<byte> record, StringPool pool, List<string> tags, out string persistenceId, out long sequenceNr)
    {
        var reader = new RecordFieldReader(record);
        ExpectKind(ref reader, JournalRecordKind.Event);
        sequenceNr = reader.ReadVarLong();
        persistenceId = pool.Get(reader.ReadUtf8());
        tags.Clear();
        var count = reader.ReadVarUInt();
        for (ulong i = 0; i < count; i++)
        {
            tags.Add(pool.Get(reader.ReadUtf8()));
        }
    }

    public static JournalTombstone DecodeTombstone(ReadOnlySpan<byte> record, StringPool? pool = null)
    {
        var reader = new RecordFieldReader(record);
        ExpectKind(ref reader, JournalRecordKind.Tombstone);
        var persistenceId = pool is null ? reader.ReadString() : pool.Get(reader.ReadUtf8());
        var deletedTo = reader.ReadVarLong();
        var highest = reader.ReadVarLong();
        return new JournalTombstone(persistenceId, deletedTo, highest);
    }

    private static string[] ReadTags(ref RecordFieldReader reader)
    {
        var count = reader.ReadVarUInt();
        if (count == 0)
        {
            return [];
        }

        if (count > 65536)
        {
            throw new InvalidDataException("An event claims more tags than a record can hold.");
        }

        var tags = new string[count];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = reader.ReadString();
        }

        return tags;
    }

    private static void ExpectKind(ref RecordFieldReader reader, JournalRecordKind kind)
    {
        if (reader.ReadByte() != (byte)kind)
        {
            throw new InvalidDataException($"Expected a {kind} record.");
        }
    }
}
