using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>
/// What a scan of a log from its head has learned up to the end of the last whole unit it took: records, the record start
/// of every segment, the latest commit of every consumer, the durable end its frames claim. Recovery's scan builds one
/// from the head, or continues one a recovery point stored; the log's recovery point actor continues recovery's while the
/// log runs. The same code takes every frame, so a prefix continued is what a scan from the head would have found.
/// </summary>
internal sealed class LogPrefix
{
    private readonly List<SegmentSummary> _segments = [];
    private ConsumerCommits _consumers = new();

    // The unit being taken: nothing of it counts until its last frame does.
    private long _unitStart = -1;
    private uint _unitChecksum;
    private bool _unitOpensSegment;
    private long _unitDurableEnd = -1;
    private long _batchCount;

    /// <param name="head">Where the scan starts: the log's first record.</param>
    /// <param name="segmentSize">The store's segment size; 0 for a store without segments (no record starts are kept).</param>
    public LogPrefix(long head, long segmentSize)
    {
        Head = head;
        SegmentSize = segmentSize;
        End = head;
        DurableEnd = head;
        RecordsEnd = head;
        NextSegmentBase = head;
    }

    public long Head { get; private set; }

    public long SegmentSize { get; }

    /// <summary>The end of the last whole unit taken: where the next unit starts.</summary>
    public long End { get; private set; }

    /// <summary>The records of the units taken (markers and commit frames are not records).</summary>
    public long Records { get; private set; }

    /// <summary>The highest durable end a frame of the units taken claims (the head when none claims more).</summary>
    public long DurableEnd { get; private set; }

    /// <summary>The end of the last record taken (or the head).</summary>
    public long RecordsEnd { get; private set; }

    /// <summary>Whether the last unit taken is a clean close's marker.</summary>
    public bool EndsWithCloseMarker { get; private set; }

    /// <summary>The LSN and header checksum of the frame that ends at <see cref="End"/>, or -1 when no unit was taken.</summary>
    public (long Lsn, uint Checksum) LastFrame { get; private set; } = (-1, 0);

    /// <summary>A unit that starts at or after this opens the next segment summary.</summary>
    public long NextSegmentBase { get; private set; }

    /// <summary>Per segment that a unit taken starts in, in order.</summary>
    public IReadOnlyList<SegmentSummary> Segments => _segments;

    /// <summary>The latest commit of every consumer among the units taken, with the LSN of its frame.</summary>
    public IReadOnlyDictionary<string, (ConsumerCommit Commit, long Lsn)> Consumers => _consumers.Latest;

    /// <summary>Whether a batch is open: frames of it were taken, not yet its last.</summary>
    public bool InsideBatch => _unitStart >= 0;

    /// <summary>
    /// The record starts to declare: the first unit of each segment, and the one a batch still open starts at (where the
    /// next write goes once recovery cuts it off).
    /// </summary>
    public IReadOnlyList<long> RecordStarts =>
        [.. _segments.Select(s => s.FirstStart), .. InsideBatch && _unitOpensSegment ? [_unitStart] : Array.Empty<long>()];

    /// <summary>The highest durable end every frame taken claims, an open batch's too, as far as <see cref="End"/>.</summary>
    public long ScannedDurableEnd => Math.Min(Math.Max(DurableEnd, _unitDurableEnd), End);

    /// <summary>Takes the next valid frame; false when it cannot follow what was taken (an invalid header, in effect).</summary>
    /// <exception cref="LogDamagedException">A commit frame holds no commit this version can read.</exception>
    public bool Take(in ScannedRecord record, string path)
    {
        // A commit fits anywhere: alone it is a unit, inside a batch it ends it.
        var fits = record.Kind == FrameKind.Commit
            || (record.Kind is FrameKind.Full or FrameKind.First or FrameKind.Marker ? !InsideBatch : InsideBatch);
        if (!fits)
        {
            return false;
        }

        if (!InsideBatch)
        {
            _unitStart = record.Lsn;
            _unitChecksum = FrameCodec.StoredChecksum(record.Frame.Span);
            _unitOpensSegment = SegmentSize > 0 && record.Lsn >= NextSegmentBase;
            _batchCount = 0;
        }

        _unitDurableEnd = Math.Max(_unitDurableEnd, record.DurableEnd);
        switch (record.Kind)
        {
            case FrameKind.Full:
                Complete(record, 1, record.End);
                break;
            case FrameKind.Marker:
                Complete(record, 0, RecordsEnd, closeMarker: record.DurableEnd == record.Lsn);
                break;
            case FrameKind.First:
            case FrameKind.Middle:
                _batchCount++;
                break;
            case FrameKind.Last:
                Complete(record, _batchCount + 1, record.End);
                break;
            case FrameKind.Commit:
                // Recovery reads every frame anyway, so the latest commit of every consumer costs no extra I/O.
                _consumers.Add(record.Lsn, record.Payload.Span, path);
                Complete(record, _batchCount, _batchCount > 0 ? record.Lsn : RecordsEnd);
                break;
        }

        return true;
    }

    /// <summary>Forgets the frames of a batch left open: recovery cuts it off, a running scan reads it again once it is whole.</summary>
    public void DropOpenBatch()
    {
        _unitStart = -1;
        _unitDurableEnd = -1;
        _batchCount = 0;
    }

    /// <summary>
    /// Scans <paramref name="store"/> from <see cref="End"/> up to <paramref name="limit"/> (a durable end), taking every
    /// whole unit; returns false if a frame below the limit does not validate (damage, or a log changed under it).
    /// </summary>
    public bool ScanTo(IWalStore store, long limit, int maxRecordSize, string path)
    {
        using var scanner = new RecordScanner(store, End, limit, maxRecordSize);
        while (true)
        {
            var status = scanner.Next(out var record);
            if (status == ScanStatus.Record && Take(record, path))
            {
                continue;
            }

            // A unit that runs past the limit is not durable yet: it is read again, whole, next time.
            DropOpenBatch();
            return status == ScanStatus.End || (status == ScanStatus.Invalid && scanner.Fault == FrameFault.Short);
        }
    }

    /// <summary>
    /// Moves the head to <paramref name="head"/> (retention dropped what lies before it), leaving what a scan from there
    /// would have found; false when <paramref name="head"/> is not where a segment's first unit starts, before <see cref="End"/>.
    /// </summary>
    public bool Rebase(long head)
    {
        if (head == Head)
        {
            return true;
        }

        var index = _segments.FindIndex(s => s.FirstStart == head);
        if (head < Head || head >= End || index < 0 || InsideBatch)
        {
            return false;
        }

        _segments.RemoveRange(0, index);
        Head = head;
        Records = _segments.Sum(s => s.Records);
        DurableEnd = Math.Max(head, _segments.Max(s => s.DurableEnd));
        RecordsEnd = Math.Max(head, RecordsEnd);

        // A consumer whose latest frame lies before the head has no frame a scan from the head would meet.
        var kept = new ConsumerCommits();
        kept.Restore(_consumers.Latest.Values.Where(c => c.Lsn >= head));
        _consumers = kept;
        return true;
    }

    /// <summary>A prefix as a recovery point stored it.</summary>
    public static LogPrefix Restore(
        long segmentSize, long head, long end, long records, long durableEnd, long recordsEnd, bool endsWithCloseMarker, (long Lsn, uint Checksum) lastFrame,
        long nextSegmentBase, IEnumerable<SegmentSummary> segments, IEnumerable<(ConsumerCommit Commit, long Lsn)> consumers)
    {
        var prefix = new LogPrefix(head, segmentSize)
        {
            End = end,
            Records = records,
            DurableEnd = durableEnd,
            RecordsEnd = recordsEnd,
            EndsWithCloseMarker = endsWithCloseMarker,
            LastFrame = lastFrame,
            NextSegmentBase = nextSegmentBase,
        };
        prefix._segments.AddRange(segments);
        prefix._consumers.Restore(consumers);
        return prefix;
    }

    private void Complete(in ScannedRecord record, long records, long recordsEnd, bool closeMarker = false)
    {
        if (_unitOpensSegment)
        {
            _segments.Add(new SegmentSummary(_unitStart, _unitChecksum));
            NextSegmentBase = (_unitStart / SegmentSize + 1) * SegmentSize;
        }

        if (_segments.Count > 0)
        {
            var segment = _segments[^1];
            segment.Records += records;
            segment.DurableEnd = Math.Max(segment.DurableEnd, _unitDurableEnd);
        }

        Records += records;
        DurableEnd = Math.Max(DurableEnd, _unitDurableEnd);
        End = record.End;
        RecordsEnd = recordsEnd;
        EndsWithCloseMarker = closeMarker;
        LastFrame = (record.Lsn, FrameCodec.StoredChecksum(record.Frame.Span));
        DropOpenBatch();
    }
}
