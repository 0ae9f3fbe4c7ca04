using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Compaction;

/// <summary>
/// Compacts one closed, durable segment: every record the liveness test calls dead is dropped, every other byte stays at
/// its position, so no surviving record changes its LSN (a consumer's stored offset stays valid).
/// </summary>
/// <remarks>
/// <para>What is kept as it is: bytes of a record that began in the previous segment, a batch that runs on into the next
/// segment, the log's markers, and anything the scan cannot read (compaction never drops what it does not understand).</para>
/// <para>A batch wholly inside the segment loses its dead records; its survivors are framed again, at their own positions
/// with their own payloads and durable ends, as one smaller batch (First…Last, or Full for one), so readers still find
/// each batch whole. The dropped records were durable and acknowledged, so the smaller batch claims nothing new.</para>
/// </remarks>
internal static class SegmentCompactor
{
    /// <summary>Compacts the segment at <paramref name="baseOffset"/> of <paramref name="store"/>.</summary>
    /// <param name="store">The log's store.</param>
    /// <param name="baseOffset">The segment to compact: closed, and wholly below <paramref name="durableEnd"/>.</param>
    /// <param name="durableEnd">The log's durable end: no frame past it is read.</param>
    /// <param name="maxRecordSize">The largest record the log was ever written with.</param>
    /// <param name="isLive">Which records survive.</param>
    /// <param name="beforeRename">A test's crash point, passed to the store.</param>
    /// <param name="pace">The rate the pass scans at (unlimited when null).</param>
    /// <param name="atLockPriority">Runs the store's steps that take its structure lock (see <see cref="SegmentedStore.Compact"/>).</param>
    /// <returns>What was done; a segment in which nothing is dead is left as it is.</returns>
    /// <exception cref="WalIOException">A file operation failed; the segment is unchanged.</exception>
    public static SegmentCompaction Compact(
        SegmentedStore store, long baseOffset, long durableEnd, int maxRecordSize, RecordLiveness isLive, Action? beforeRename = null, CompactionPace? pace = null,
        Action<Action>? atLockPriority = null)
    {
        var segmentEnd = baseOffset + store.SegmentSize;
        if (segmentEnd > durableEnd)
        {
            throw new InvalidOperationException($"The segment at {baseOffset} is not yet wholly durable (durable end {durableEnd}).");
        }

        var counts = new Counts();
        var (replaced, before, after) = store.Compact(
            baseOffset, Plan(store, baseOffset, segmentEnd, durableEnd, maxRecordSize, isLive, counts, pace ?? CompactionPace.Unlimited), () => counts.Dropped > 0, beforeRename, atLockPriority);
        return new SegmentCompaction(baseOffset, replaced, before, after, counts.Kept, replaced ? counts.Dropped : 0);
    }

    private sealed class Counts
    {
        public long Kept;
        public long Dropped;
    }

    /// <summary>What to keep of the segment, produced as the scan goes, so at most one batch is held in memory.</summary>
    private static IEnumerable<KeptBytes> Plan(
        SegmentedStore store, long baseOffset, long segmentEnd, long durableEnd, int maxRecordSize, RecordLiveness isLive, Counts counts, CompactionPace pace)
    {
        var start = store.RecordStartAtOrAfter(baseOffset);
        if (start is not { } first || first >= segmentEnd)
        {
            // No record is known to start here: all of it belongs to a record from before.
            foreach (var held in store.HeldBytes(baseOffset, segmentEnd))
            {
                pace.Scanned(held.Bytes.Length);
                yield return held;
            }

            yield break;
        }

        foreach (var held in store.HeldBytes(baseOffset, first))
        {
            pace.Scanned(held.Bytes.Length);
            yield return held;
        }

        var batch = new List<Frame>();
        var insideEarlierBatch = true; // until the scan meets a batch's first frame or a record of its own, it may be in one begun before
        using var scanner = new RecordScanner(store, first, durableEnd, maxRecordSize);
        while (scanner.Position < segmentEnd)
        {
            var position = scanner.Position;
            var status = scanner.Next(out var record);
            pace.Scanned(status == ScanStatus.Record ? record.Frame.Length : scanner.Position - position);
            if (status != ScanStatus.Record || record.End > segmentEnd)
            {
                // A record running into the next segment, or bytes the scan cannot read: kept as they are, with the batch
                // they belong to.
                var from = batch.Count > 0 ? batch[0].Lsn : position;
                counts.Kept += batch.Count + (status == ScanStatus.Record ? 1 : 0);
                foreach (var held in store.HeldBytes(from, segmentEnd))
                {
                    pace.Scanned(held.Bytes.Length);
                    yield return held;
                }

                yield break;
            }

            var frame = new Frame(record.Lsn, record.Kind, record.Frame.ToArray(), record.DurableEnd < 0 ? record.Lsn : record.DurableEnd);
            switch (record.Kind)
            {
                case FrameKind.Marker:
                    yield return frame.AsItIs();
                    break;
                case FrameKind.Commit when batch.Count > 0:
                    // A consumer's commit ending the batch of its outputs: the live outputs and the commit are framed again
                    // together, so they stay atomic, and the commit is never dropped: it is where the consumer resumes.
                    batch.Add(frame);
                    var (outputs, droppedOutputs) = Reframe(batch, isLive);
                    counts.Kept += outputs.Count - 1;
                    counts.Dropped += droppedOutputs;
                    batch.Clear();
                    foreach (var survivor in outputs)
                    {
                        yield return survivor;
                    }

                    break;
                case FrameKind.Commit:
                    // A commit of its own, or the end of a batch begun in the segment before: kept as it is. It is no
                    // plugin's record, so liveness never judges it (a journal could misread its bytes as an event).
                    insideEarlierBatch = false;
                    yield return frame.AsItIs();
                    break;
                case FrameKind.Full:
                    insideEarlierBatch = false;
                    if (isLive(frame.Lsn, frame.Lsn, frame.Payload))
                    {
                        counts.Kept++;
                        yield return frame.AsItIs();
                    }
                    else
                    {
                        counts.Dropped++;
                    }

                    break;
                case FrameKind.First:
                    insideEarlierBatch = false;
                    batch.Clear();
                    batch.Add(frame);
                    break;
                case FrameKind.Middle or FrameKind.Last when batch.Count == 0 && insideEarlierBatch:
                    // The rest of a batch that began in the segment before: it is not this compaction's to reframe.
                    insideEarlierBatch = record.Kind == FrameKind.Middle;
                    counts.Kept++;
                    yield return frame.AsItIs();
                    break;
                case FrameKind.Middle:
                    batch.Add(frame);
                    break;
                case FrameKind.Last:
                    batch.Add(frame);
                    var (survivors, dropped) = Reframe(batch, isLive);
                    counts.Kept += survivors.Count;
                    counts.Dropped += dropped;
                    batch.Clear();
                    foreach (var survivor in survivors)
                    {
                        yield return survivor;
                    }

                    break;
            }
        }

        // The segment ends inside a batch: the batch runs on into the next segment and stays as it is.
        counts.Kept += batch.Count;
        foreach (var member in batch)
        {
            yield return member.AsItIs();
        }
    }

    /// <summary>
    /// The live members of a complete batch, framed again as a batch of their own. A batch that ends with a consumer's
    /// commit keeps it, always, as its last frame (alone, a commit is a unit of its own).
    /// </summary>
    private static (List<KeptBytes> Survivors, int Dropped) Reframe(List<Frame> batch, RecordLiveness isLive)
    {
        var commit = batch[^1].Kind == FrameKind.Commit ? batch[^1] : null;
        var records = commit is null ? batch : batch[..^1];
        var live = records.Where(f => isLive(f.Lsn, batch[0].Lsn, f.Payload)).ToList();
        if (live.Count == records.Count)
        {
            return (batch.Select(f => f.AsItIs()).ToList(), 0);
        }

        if (commit is not null)
        {
            live.Add(commit);
        }

        var survivors = new List<KeptBytes>(live.Count);
        for (var i = 0; i < live.Count; i++)
        {
            var kind = ReferenceEquals(live[i], commit) ? FrameKind.Commit
                : live.Count == 1 ? FrameKind.Full : i == 0 ? FrameKind.First : i == live.Count - 1 ? FrameKind.Last : FrameKind.Middle;
            survivors.Add(live[i].As(kind));
        }

        return (survivors, records.Count - (live.Count - (commit is null ? 0 : 1)));
    }

    /// <summary>A frame as it was read; kept as it is, its bytes are copied, not framed again.</summary>
    private sealed record Frame(long Lsn, FrameKind Kind, byte[] Bytes, long DurableEnd)
    {
        public ReadOnlySpan<byte> Payload => Bytes.AsSpan(FrameCodec.HeaderSize, FrameCodec.PayloadLength(Bytes));

        public KeptBytes AsItIs() => new(Lsn, Bytes);

        public KeptBytes As(FrameKind kind)
        {
            if (kind == Kind)
            {
                return AsItIs();
            }

            var bytes = new byte[Bytes.Length];
            FrameCodec.Encode(bytes, Lsn, kind, Payload, DurableEnd);
            return new KeptBytes(Lsn, bytes);
        }
    }
}
