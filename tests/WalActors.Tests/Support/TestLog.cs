using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Tests.Support;

/// <summary>Writes framed records straight into a store, the way the pipeline lays them out, for format and recovery tests.</summary>
public static class TestLog
{
    public const int MaxRecordSize = 64 * 1024;

    public static byte[] Payload(int index, int length)
    {
        var payload = new byte[length];
        new Random(index).NextBytes(payload);
        return payload;
    }

    /// <summary>
    /// Appends one frame at <paramref name="lsn"/>; returns the LSN after it. The frame claims <paramref name="durableEnd"/>
    /// was durable when it was framed (by default nothing: a log whose every record may still be torn).
    /// </summary>
    internal static long Append(IWalStore store, long lsn, ReadOnlySpan<byte> payload, FrameKind kind = FrameKind.Full, long durableEnd = 0)
    {
        var frame = new byte[FrameCodec.FrameSize(payload.Length)];
        FrameCodec.Encode(frame, lsn, kind, payload, durableEnd);
        store.WriteAt(lsn, frame);
        return lsn + frame.Length;
    }

    /// <summary>Appends <paramref name="payloads"/> as one atomic batch; returns the LSN after it.</summary>
    internal static long AppendBatch(IWalStore store, long lsn, IReadOnlyList<byte[]> payloads, long durableEnd = 0)
    {
        for (var i = 0; i < payloads.Count; i++)
        {
            var kind = payloads.Count == 1 ? FrameKind.Full : i == 0 ? FrameKind.First : i == payloads.Count - 1 ? FrameKind.Last : FrameKind.Middle;
            lsn = Append(store, lsn, payloads[i], kind, durableEnd);
        }

        return lsn;
    }

    /// <summary>Appends <paramref name="count"/> records of assorted sizes; returns their LSNs and payloads.</summary>
    internal static List<(long Lsn, byte[] Payload)> AppendMany(IWalStore store, int count, int maxLength = 300, long start = 0)
    {
        var records = new List<(long, byte[])>(count);
        var lsn = start;
        for (var i = 0; i < count; i++)
        {
            var payload = Payload(i, i * 37 % (maxLength + 1));
            records.Add((lsn, payload));
            lsn = Append(store, lsn, payload, durableEnd: start);
        }

        return records;
    }

    /// <summary>A frame in the layout of format version 1: a position check at offset 8, a checksum without the LSN.</summary>
    internal static byte[] EncodeVersion1(long lsn, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameCodec.FrameSize(payload.Length)];
        frame[0] = (byte)'W';
        frame[1] = (byte)'A';
        frame[2] = 1;
        frame[3] = (byte)FrameKind.Full;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)lsn ^ (uint)(lsn >>> 32));
        payload.CopyTo(frame.AsSpan(FrameCodec.HeaderSize));
        var crc = Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Start(), frame.AsSpan(0, 12)), frame.AsSpan(FrameCodec.HeaderSize)));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(12), crc);
        return frame;
    }

    /// <summary>Appends the marker a clean close leaves: everything before <paramref name="lsn"/> durable. Returns the LSN after it.</summary>
    internal static long AppendCloseMarker(IWalStore store, long lsn) => Append(store, lsn, [], FrameKind.Marker, durableEnd: lsn);

    /// <summary>
    /// Removes the clean close a log's manifest records, as a crash would have left it, so that a test can tear the
    /// log's tail by hand (the close marker must go too).
    /// </summary>
    internal static void ForgetCleanClose(string directory)
    {
        var manifest = Path.Combine(directory, StoreManifest.FileName);
        File.WriteAllLines(manifest, File.ReadAllLines(manifest).Where(line => !line.StartsWith(WalActors.Recovery.LogOpener.ClosedAtProperty + " ", StringComparison.Ordinal)));
    }

    /// <summary>Every valid record from the head to the first invalid frame.</summary>
    internal static List<(long Lsn, byte[] Payload)> ReadAll(IWalStore store, int maxRecordSize = MaxRecordSize)
    {
        var records = new List<(long, byte[])>();
        using var scanner = new RecordScanner(store, store.Head, store.Length, maxRecordSize);
        while (scanner.Next(out var record) == ScanStatus.Record)
        {
            records.Add((record.Lsn, record.Payload.ToArray()));
        }

        return records;
    }
}
