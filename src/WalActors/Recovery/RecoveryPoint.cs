using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>
/// A log's recovery point, as Kafka keeps its recovery-point offset: an LSN <c>V</c> below which the log is known whole
/// and durable, with what a scan from the head to <c>V</c> found (<see cref="LogPrefix"/>), so recovery scans only from
/// <c>V</c>. Never trusted blindly: one that does not match the log is ignored, and the scan starts at the head.
/// </summary>
/// <remarks>
/// <para>What "matches" means: it reads and checks (its file's CRC, its version, the log's segment size); the log's head
/// has not moved below the head it was written for, and lies before <c>V</c> where a segment's first unit starts (retention
/// moves the head only there); <c>V</c> lies within the log; the frame that ends at <c>V</c> validates where it lies and
/// carries the checksum recorded for it; and the first frame of every segment kept carries the checksum recorded for it.
/// Since a frame's checksum covers its LSN, a log replaced, cut below <c>V</c>, or with segments restored from elsewhere
/// fails one of these. Compaction and truncation below <c>V</c> delete it first (<see cref="SegmentedStore"/>).</para>
/// <para>What it does not catch: bytes below <c>V</c> damaged after it was written, other than at the frames it checks.
/// That is the price of not reading them; <c>walactors verify</c> reads every frame.</para>
/// </remarks>
internal static class RecoveryPoint
{
    /// <summary>The prefix the stored recovery point holds, moved to the log's current head; or null when there is none or it does not match.</summary>
    public static LogPrefix? Load(IWalStore store, IRecoveryPointStore points, int maxRecordSize)
    {
        if (points.ReadRecoveryPoint() is not var (end, body))
        {
            return null;
        }

        LogPrefix prefix;
        try
        {
            prefix = RecoveryPointCodec.Decode(body);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        if (prefix.End != end || prefix.SegmentSize != points.SegmentSize || end > store.Length || !prefix.Rebase(store.Head) || prefix.Head != store.Head)
        {
            return null;
        }

        return Matches(store, prefix, maxRecordSize) ? prefix : null;
    }

    /// <summary>Stores <paramref name="prefix"/> as the log's recovery point, unless the store's epoch moved on since <paramref name="epoch"/>.</summary>
    public static bool Write(IRecoveryPointStore store, LogPrefix prefix, long epoch) =>
        store.WriteRecoveryPoint(prefix.End, RecoveryPointCodec.Encode(prefix), epoch);

    private static bool Matches(IWalStore store, LogPrefix prefix, int maxRecordSize)
    {
        var (lsn, checksum) = prefix.LastFrame;
        if (lsn < prefix.Head || ReadFrame(store, lsn, maxRecordSize, wholeFrame: true) is not { } last
            || last.Checksum != checksum || last.End != prefix.End)
        {
            return false;
        }

        foreach (var segment in prefix.Segments)
        {
            if (ReadFrame(store, segment.FirstStart, maxRecordSize, wholeFrame: false) is not { } first || first.Checksum != segment.FirstChecksum)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The header checksum and end of the frame at <paramref name="lsn"/>, or null when its header (or, with <paramref name="wholeFrame"/>, all of it) does not validate there.</summary>
    private static (uint Checksum, long End)? ReadFrame(IWalStore store, long lsn, int maxRecordSize, bool wholeFrame)
    {
        Span<byte> header = stackalloc byte[FrameCodec.HeaderSize];
        if (store.ReadAt(lsn, header) != header.Length
            || FrameCodec.CheckHeader(header, lsn, maxRecordSize, out _, out var payloadLength) != FrameFault.None)
        {
            return null;
        }

        var size = FrameCodec.FrameSize(payloadLength);
        if (wholeFrame)
        {
            var frame = new byte[size];
            if (store.ReadAt(lsn, frame) != size || !FrameCodec.ChecksumMatches(frame, lsn))
            {
                return null;
            }
        }

        return (FrameCodec.StoredChecksum(header), lsn + size);
    }
}
