using System.Buffers;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>Scans a log from its head and classifies where and why it ends, without modifying anything.</summary>
/// <remarks>
/// <para>The rule: the valid prefix ends at the first frame that does not validate (or at an atomic batch that does not
/// finish). What follows it is a torn tail, to be cut, unless a valid frame further on proves that the bytes at that end
/// had been durable: it carries a durable end past the bad frame (its writer had seen a barrier cover the bad frame), or
/// it lies further past the bad frame than the in-flight window lets any write run ahead of a barrier. Then it is damage.
/// A clean close leaves a marker whose durable end is its own position, and records that position in the manifest, so a
/// cleanly closed log has no tail at all in which damage (or a lost segment, or a damaged marker) could pass for a tear.</para>
/// </remarks>
internal static class LogAnalyzer
{
    private const int ChunkSize = 1024 * 1024;

    /// <exception cref="NotAWalLogException">A store without its own identity does not begin with a WalActors frame.</exception>
    /// <exception cref="UnsupportedLogFormatException">A frame was written by a newer format version.</exception>
    /// <param name="store">The store to scan.</param>
    /// <param name="options">The limits frames are checked against, and the evidence recovery has besides the frames.</param>
    /// <param name="path">The log's path, for errors.</param>
    /// <param name="from">
    /// What a scan from the head found up to a unit boundary (a recovery point's), to continue from; null scans from the head.
    /// Every rule past that boundary is the same: the tail, the damage evidence, the verdict.
    /// </param>
    public static LogAnalysis Analyze(IWalStore store, RecoveryOptions options, string path, LogPrefix? from = null)
    {
        var head = store.Head;
        var length = store.Length;
        var prefix = from ?? new LogPrefix(head, store is IRecoveryPointStore points ? points.SegmentSize : 0);
        var scanStart = prefix.End;
        using var scanner = new RecordScanner(store, scanStart, length, options.MaxRecordSize);
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

            if (!prefix.Take(record, path))
            {
                fault = FrameFault.BadHeader;
                break;
            }
        }

        if (fault == FrameFault.None && prefix.InsideBatch)
        {
            fault = FrameFault.Short; // the store ends inside an atomic batch
        }

        var end = prefix.End;
        if (fault == FrameFault.BadMagic && end == head && store is not SegmentedStore)
        {
            // A bare file has no manifest to vouch for it: foreign bytes where the first frame belongs mean
            // this was never a log, and it must not be "recovered" to nothing.
            throw new NotAWalLogException(path, "it does not begin with a WalActors record");
        }

        var (lastNonZero, evidence) = ScanTail(store, end, length, options, TailBytes.For(store, options.MaxRecordSize));
        if (evidence is null && options.ClosedAt > end)
        {
            evidence = DamageEvidence.ClosedCleanlyAt(options.ClosedAt);
        }

        if (evidence is null && options.LiveWriter is { } writer && writer.DurableEnd > end)
        {
            evidence = DamageEvidence.ReportedBy(writer);
        }

        // A newer writer's frames are all newer from where it took over; one such frame with valid frames of this version
        // vouching past it is a damaged version byte, not a newer format.
        if (fault == FrameFault.FutureVersion && evidence is null)
        {
            throw new UnsupportedLogFormatException(path, ReadVersionAt(store, scanner.Position), FrameCodec.CurrentVersion);
        }

        var closedCleanly = prefix.EndsWithCloseMarker && (fault is FrameFault.None or FrameFault.Zeros) && evidence is null && lastNonZero < end;
        return new LogAnalysis(head, end, prefix.Records, length, fault, lastNonZero, evidence, prefix.ScannedDurableEnd, prefix.RecordStarts, closedCleanly)
        {
            Consumers = new Dictionary<string, (ConsumerCommit, long)>(prefix.Consumers, StringComparer.Ordinal),
            RecordsEnd = prefix.RecordsEnd,
            ScanStart = scanStart,
            Prefix = prefix,
        };
    }

    /// <summary>
    /// The first valid frame at or after <paramref name="from"/> (probing aligned positions), or null when none is left
    /// before <paramref name="length"/>: where salvage and readers resume past damage.
    /// </summary>
    public static long? FindNextValidFrame(IWalStore store, long from, long length, int maxRecordSize)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var frame = Array.Empty<byte>();
        try
        {
            for (var position = AlignUp(from); position < length; position += ChunkSize)
            {
                var read = store.ReadAt(position, buffer.AsSpan(0, (int)Math.Min(ChunkSize, length - position)));
                if (read == 0)
                {
                    break;
                }

                var found = ProbeForFrames(store, buffer.AsSpan(0, read), position, position, maxRecordSize, ref frame, _ => true);
                if (found is not null)
                {
                    return found.Value.Lsn;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return null;
    }

    private static int ReadVersionAt(IWalStore store, long position)
    {
        Span<byte> header = stackalloc byte[FrameCodec.HeaderSize];
        return store.ReadAt(position, header) > 2 ? header[2] : 0;
    }

    /// <summary>
    /// Finds the last non-zero byte after the valid end that this log wrote (not a recycled segment's stale frames), and
    /// the first valid frame after it that proves the end had been durable (see the class remarks).
    /// </summary>
    private static (long LastNonZero, DamageEvidence? Evidence) ScanTail(IWalStore store, long end, long length, RecoveryOptions options, TailBytes written)
    {
        long lastNonZero = -1;
        var windowEnd = end + options.InFlightWindow;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var frame = Array.Empty<byte>();
        try
        {
            for (var position = end; position < length; position += ChunkSize)
            {
                var read = store.ReadAt(position, buffer.AsSpan(0, (int)Math.Min(ChunkSize, length - position)));
                var chunk = buffer.AsSpan(0, read);
                if (chunk.IndexOfAnyExcept((byte)0) < 0)
                {
                    if (read == 0)
                    {
                        break;
                    }

                    continue;
                }

                lastNonZero = Math.Max(lastNonZero, written.LastWritten(chunk, position));
                var proof = ProbeForFrames(
                    store, chunk, position, end + 1, options.MaxRecordSize, ref frame,
                    found => found.DurableEnd > end || found.Lsn >= windowEnd, written);
                if (proof is { } p)
                {
                    var evidence = p.DurableEnd > end ? DamageEvidence.DurableEndPast(p.Lsn, p.DurableEnd) : DamageEvidence.BeyondWindow(p.Lsn);
                    return (Math.Max(lastNonZero, FindLastNonZero(store, position + read, length, written)), evidence);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (lastNonZero, null);
    }

    /// <summary>The first valid frame in <paramref name="chunk"/> at or after <paramref name="probeFrom"/> that <paramref name="proves"/> accepts.</summary>
    /// <remarks>
    /// With <paramref name="stale"/> (which has just walked the same chunk), the stale frames it found are skipped: valid
    /// at another LSN, none can be valid here, and checking each twice doubled the cost of a recycled segment's tail.
    /// </remarks>
    private static (long Lsn, long DurableEnd)? ProbeForFrames(
        IWalStore store, ReadOnlySpan<byte> chunk, long chunkStart, long probeFrom, int maxRecordSize, ref byte[] frame,
        Func<(long Lsn, long DurableEnd), bool> proves, TailBytes? stale = null)
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
            if (stale?.StaleFrameEnd(lsn) is { } staleEnd)
            {
                from = (int)Math.Min(chunk.Length, staleEnd - chunkStart);
                continue;
            }

            if (lsn % FrameCodec.Alignment != 0 || ValidFrameAt(store, chunk, chunkStart, lsn, maxRecordSize, ref frame) is not { } durableEnd)
            {
                continue;
            }

            if (proves((lsn, durableEnd)))
            {
                return (lsn, durableEnd);
            }
        }

        return null;
    }

    /// <summary>The durable end a valid frame at <paramref name="lsn"/> carries (-1 for a version 1 frame), or null when there is no valid frame.</summary>
    /// <remarks>
    /// Validates from <paramref name="chunk"/> (read at <paramref name="chunkStart"/>) when it holds the frame: a tail of
    /// a recycled segment holds a stale frame at nearly every aligned magic, and two reads for each would dominate recovery.
    /// </remarks>
    private static long? ValidFrameAt(IWalStore store, ReadOnlySpan<byte> chunk, long chunkStart, long lsn, int maxRecordSize, ref byte[] frame)
    {
        var offset = (int)(lsn - chunkStart);
        Span<byte> header = stackalloc byte[FrameCodec.HeaderSize];
        var read = FrameCodec.HeaderSize;
        if (offset + FrameCodec.HeaderSize <= chunk.Length)
        {
            chunk.Slice(offset, FrameCodec.HeaderSize).CopyTo(header);
        }
        else
        {
            read = store.ReadAt(lsn, header);
        }

        if (FrameCodec.CheckHeader(header[..read], lsn, maxRecordSize, out _, out var payloadLength, out var durableEnd) != FrameFault.None)
        {
            return null;
        }

        var size = FrameCodec.FrameSize(payloadLength);
        if (offset + size <= chunk.Length)
        {
            return FrameCodec.ChecksumMatches(chunk.Slice(offset, size), lsn) ? durableEnd : null;
        }

        if (frame.Length < size)
        {
            frame = new byte[size];
        }

        return store.ReadAt(lsn, frame.AsSpan(0, size)) == size && FrameCodec.ChecksumMatches(frame.AsSpan(0, size), lsn) ? durableEnd : null;
    }

    private static long FindLastNonZero(IWalStore store, long from, long length, TailBytes written)
    {
        long lastNonZero = -1;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (var position = from; position < length; position += ChunkSize)
            {
                var read = store.ReadAt(position, buffer.AsSpan(0, (int)Math.Min(ChunkSize, length - position)));
                lastNonZero = Math.Max(lastNonZero, written.LastWritten(buffer.AsSpan(0, read), position));

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
