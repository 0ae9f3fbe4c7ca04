using System.Buffers;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>Scans a log from its head and classifies where and why it ends, without modifying anything.</summary>
internal static class LogAnalyzer
{
    private const int ChunkSize = 1024 * 1024;

    /// <exception cref="NotAWalLogException">A store without its own identity does not begin with a WalActors frame.</exception>
    /// <exception cref="UnsupportedLogFormatException">A frame was written by a newer format version.</exception>
    public static LogAnalysis Analyze(IWalStore store, RecoveryOptions options, string path)
    {
        var head = store.Head;
        var length = store.Length;
        long records = 0;
        long end = head;
        using var scanner = new RecordScanner(store, head, length, options.MaxRecordSize);
        long batchStart = -1;
        long batchCount = 0;
        var fault = FrameFault.None;
        while (true)
        {
            var status = scanner.Next(out var record);
            if (status == ScanStatus.End)
            {
                break;
            }

            if (status == ScanStatus.Invalid)
            {
                fault = scanner.Fault;
                break;
            }

            if (!FitsBatch(record.Kind, batchStart >= 0))
            {
                fault = FrameFault.BadHeader;
                break;
            }

            switch (record.Kind)
            {
                case FrameKind.Full:
                    records++;
                    end = record.End;
                    break;
                case FrameKind.First:
                    batchStart = record.Lsn;
                    batchCount = 1;
                    break;
                case FrameKind.Middle:
                    batchCount++;
                    break;
                case FrameKind.Last:
                    records += batchCount + 1;
                    batchStart = -1;
                    end = record.End;
                    break;
            }
        }

        if (fault == FrameFault.None && batchStart >= 0)
        {
            fault = FrameFault.Short; // the store ends inside an atomic batch
        }

        if (fault == FrameFault.FutureVersion)
        {
            throw new UnsupportedLogFormatException(path, ReadVersionAt(store, scanner.Position), FrameCodec.CurrentVersion);
        }

        if (fault == FrameFault.BadMagic && end == head && store is not SegmentedStore)
        {
            // A bare file has no manifest to vouch for it: foreign bytes where the first frame belongs mean
            // this was never a log, and it must not be "recovered" to nothing.
            throw new NotAWalLogException(path, "it does not begin with a WalActors record");
        }

        var (lastNonZero, evidence) = ScanTail(store, end, length, options);
        return new LogAnalysis(head, end, records, length, fault, lastNonZero, evidence);
    }

    private static bool FitsBatch(FrameKind kind, bool insideBatch) =>
        kind is FrameKind.Full or FrameKind.First ? !insideBatch : insideBatch;

    private static int ReadVersionAt(IWalStore store, long position)
    {
        Span<byte> header = stackalloc byte[FrameCodec.HeaderSize];
        return store.ReadAt(position, header) > 2 ? header[2] : 0;
    }

    /// <summary>
    /// Finds the last non-zero byte after the valid end, and any valid frame beyond the in-flight window:
    /// only a frame written after the bad one was durable could lie that far out.
    /// </summary>
    private static (long LastNonZero, long? Evidence) ScanTail(IWalStore store, long end, long length, RecoveryOptions options)
    {
        long lastNonZero = -1;
        var probeFrom = AlignUp(end + options.InFlightWindow);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var frame = Array.Empty<byte>();
        try
        {
            for (var position = end; position < length; position += ChunkSize)
            {
                var read = store.ReadAt(position, buffer.AsSpan(0, (int)Math.Min(ChunkSize, length - position)));
                var chunk = buffer.AsSpan(0, read);
                var last = chunk.LastIndexOfAnyExcept((byte)0);
                if (last < 0)
                {
                    if (read == 0)
                    {
                        break;
                    }

                    continue;
                }

                lastNonZero = position + last;
                if (position + read <= probeFrom)
                {
                    continue;
                }

                var evidence = ProbeForFrames(store, chunk, position, probeFrom, options.MaxRecordSize, ref frame);
                if (evidence is not null)
                {
                    return (Math.Max(lastNonZero, FindLastNonZero(store, position + read, length)), evidence);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (lastNonZero, null);
    }

    private static long? ProbeForFrames(IWalStore store, ReadOnlySpan<byte> chunk, long chunkStart, long probeFrom, int maxRecordSize, ref byte[] frame)
    {
        ReadOnlySpan<byte> magic = [FrameCodec.Magic0, FrameCodec.Magic1];
        var from = (int)Math.Max(0, probeFrom - chunkStart);
        while (from < chunk.Length)
        {
            var found = chunk[from..].IndexOf(magic);
            if (found < 0)
            {
                return null;
            }

            var lsn = chunkStart + from + found;
            from += found + 1;
            if (lsn % FrameCodec.Alignment != 0 || IsValidFrameAt(store, lsn, maxRecordSize, ref frame) is false)
            {
                continue;
            }

            return lsn;
        }

        return null;
    }

    private static bool IsValidFrameAt(IWalStore store, long lsn, int maxRecordSize, ref byte[] frame)
    {
        Span<byte> header = stackalloc byte[FrameCodec.HeaderSize];
        var read = store.ReadAt(lsn, header);
        if (FrameCodec.CheckHeader(header[..read], lsn, maxRecordSize, out _, out var payloadLength) != FrameFault.None)
        {
            return false;
        }

        var size = FrameCodec.FrameSize(payloadLength);
        if (frame.Length < size)
        {
            frame = new byte[size];
        }

        return store.ReadAt(lsn, frame.AsSpan(0, size)) == size && FrameCodec.ChecksumMatches(frame.AsSpan(0, size));
    }

    private static long FindLastNonZero(IWalStore store, long from, long length)
    {
        long lastNonZero = -1;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (var position = from; position < length; position += ChunkSize)
            {
                var read = store.ReadAt(position, buffer.AsSpan(0, (int)Math.Min(ChunkSize, length - position)));
                var last = buffer.AsSpan(0, read).LastIndexOfAnyExcept((byte)0);
                if (last >= 0)
                {
                    lastNonZero = position + last;
                }

                if (read == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return lastNonZero;
    }

    private static long AlignUp(long value) => (value + FrameCodec.Alignment - 1) & ~(long)(FrameCodec.Alignment - 1);
}
