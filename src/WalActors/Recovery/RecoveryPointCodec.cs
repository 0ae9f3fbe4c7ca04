using WalActors.Format;

namespace WalActors.Recovery;

/// <summary>
/// The body of a recovery point: a <see cref="LogPrefix"/> at a unit boundary, little-endian:
/// <c>version | segment size | head | end | records | durable end | records end | flags | last frame LSN, checksum |
/// next segment base | segments (first start, checksum, records, durable end)… | consumers (frame LSN, commit payload)…</c>.
/// </summary>
/// <remarks>Consumers are kept as the payload of their commit frame, so the one codec of commits reads both.</remarks>
internal static class RecoveryPointCodec
{
    private const int Version = 1;
    private const byte CloseMarkerFlag = 1;

    public static byte[] Encode(LogPrefix prefix)
    {
        if (prefix.InsideBatch)
        {
            throw new InvalidOperationException("A recovery point lies at a unit boundary, not inside a batch.");
        }

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            writer.Write(prefix.SegmentSize);
            writer.Write(prefix.Head);
            writer.Write(prefix.End);
            writer.Write(prefix.Records);
            writer.Write(prefix.DurableEnd);
            writer.Write(prefix.RecordsEnd);
            writer.Write(prefix.EndsWithCloseMarker ? CloseMarkerFlag : (byte)0);
            writer.Write(prefix.LastFrame.Lsn);
            writer.Write(prefix.LastFrame.Checksum);
            writer.Write(prefix.NextSegmentBase);
            writer.Write(prefix.Segments.Count);
            foreach (var segment in prefix.Segments)
            {
                writer.Write(segment.FirstStart);
                writer.Write(segment.FirstChecksum);
                writer.Write(segment.Records);
                writer.Write(segment.DurableEnd);
            }

            writer.Write(prefix.Consumers.Count);
            foreach (var (commit, lsn) in prefix.Consumers.Values.OrderBy(c => c.Lsn))
            {
                var payload = ConsumerCommitCodec.Encode(commit);
                writer.Write(lsn);
                writer.Write(payload.Length);
                writer.Write(payload);
            }
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The body is not one this version wrote, or it is cut short.</exception>
    public static LogPrefix Decode(byte[] body)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(body, writable: false));
            if (reader.ReadInt32() != Version)
            {
                throw new InvalidDataException("a recovery point of another version");
            }

            var segmentSize = reader.ReadInt64();
            var head = reader.ReadInt64();
            var end = reader.ReadInt64();
            var records = reader.ReadInt64();
            var durableEnd = reader.ReadInt64();
            var recordsEnd = reader.ReadInt64();
            var closeMarker = (reader.ReadByte() & CloseMarkerFlag) != 0;
            var lastFrame = (reader.ReadInt64(), reader.ReadUInt32());
            var nextSegmentBase = reader.ReadInt64();
            var segments = new SegmentSummary[Count(reader, body.Length)];
            for (var i = 0; i < segments.Length; i++)
            {
                segments[i] = new SegmentSummary(reader.ReadInt64(), reader.ReadUInt32()) { Records = reader.ReadInt64(), DurableEnd = reader.ReadInt64() };
            }

            var consumers = new (ConsumerCommit, long)[Count(reader, body.Length)];
            for (var i = 0; i < consumers.Length; i++)
            {
                var lsn = reader.ReadInt64();
                consumers[i] = (ConsumerCommitCodec.Decode(reader.ReadBytes(Count(reader, body.Length))), lsn);
            }

            if (reader.BaseStream.Position != body.Length)
            {
                throw new InvalidDataException("bytes after the recovery point");
            }

            return LogPrefix.Restore(segmentSize, head, end, records, durableEnd, recordsEnd, closeMarker, lastFrame, nextSegmentBase, segments, consumers);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("a recovery point cut short", e);
        }
    }

    // A count read from the body can never ask for more than the body holds.
    private static int Count(BinaryReader reader, int bodyLength)
    {
        var count = reader.ReadInt32();
        return count >= 0 && count <= bodyLength ? count : throw new InvalidDataException($"an impossible count {count}");
    }
}
