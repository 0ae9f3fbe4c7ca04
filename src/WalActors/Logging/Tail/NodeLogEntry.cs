using System.Buffers.Binary;
using Akka.Actor;

namespace WalActors.Logging.Tail;

/// <summary>One record of one node's log, as a cluster-wide view (<see cref="ClusterLogTail"/>) delivers it.</summary>
/// <param name="Node">The node whose log holds the record.</param>
/// <param name="Lsn">The record's position in that node's log.</param>
/// <param name="Payload">The record's bytes: a <see cref="LogEventRecord"/> for what <see cref="WalLogger"/> wrote (<see cref="LogEventRecord.TryParse"/>).</param>
public sealed record NodeLogEntry(Address Node, Lsn Lsn, ReadOnlyMemory<byte> Payload)
{
    /// <summary>A record as it crosses the wire: its LSN (8 bytes, little-endian), then its payload.</summary>
    internal static byte[] Encode(WalRecord record)
    {
        var bytes = new byte[8 + record.Payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, record.Lsn.Value);
        record.Payload.Span.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    /// <exception cref="InvalidDataException">The bytes are shorter than an LSN.</exception>
    internal static NodeLogEntry Decode(Address node, byte[] bytes) => bytes.Length < 8
        ? throw new InvalidDataException("A node log record arrived shorter than its LSN.")
        : new NodeLogEntry(node, new Lsn(BinaryPrimitives.ReadInt64LittleEndian(bytes)), bytes.AsMemory(8));
}
