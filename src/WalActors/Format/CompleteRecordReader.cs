using WalActors.Storage;

namespace WalActors.Format;

/// <summary>
/// Reads records in LSN order and yields a batch's records only once its last frame is known valid, so a reader never
/// sees part of an atomic batch. It may start at any record's LSN, a batch's middle or last record included (as a
/// read that stopped inside a batch continues), once that batch's last frame is found valid. The log's own markers and
/// consumers' commit frames are not records and are skipped; a commit frame may end a batch (then it is its last frame).
/// </summary>
internal sealed class CompleteRecordReader : IDisposable
{
    private readonly RecordScanner _scanner;
    private readonly long _from;
    private long _verifiedThrough = -1;

    public CompleteRecordReader(IWalStore store, long from, long end, int maxRecordSize, int bufferSize = RecordScanner.DefaultBufferSize, int? initialReadSize = null)
    {
        _scanner = new RecordScanner(store, from, end, maxRecordSize, bufferSize, initialReadSize);
        _from = from;
    }

    /// <summary>Where the next record is expected.</summary>
    public long Position => _scanner.Position;

    /// <summary>Why the last read stopped on an invalid frame.</summary>
    public FrameFault Fault => _scanner.Fault;

    public ScanStatus Next(out ScannedRecord record)
    {
        ScanStatus status;
        do
        {
            status = NextFrame(out record);
        }
        while (status == ScanStatus.Record && record.Kind is FrameKind.Marker or FrameKind.Commit);

        return status;
    }

    private ScanStatus NextFrame(out ScannedRecord record)
    {
        var start = _scanner.Position;
        var status = _scanner.Next(out record);
        // A commit met here ends a unit already verified, is a unit of its own, or is where the reader was told to start:
        // in every case nothing of it is delivered, and what follows it starts a new unit.
        if (status != ScanStatus.Record || record.Kind is FrameKind.Full or FrameKind.Marker or FrameKind.Commit || record.Lsn < _verifiedThrough)
        {
            return status;
        }

        // Only a reader that starts inside a batch may meet its middle or last frame first; anywhere else it means the
        // batch's first frame is missing.
        var startsInside = start == _from && record.Kind is FrameKind.Middle or FrameKind.Last;
        if (startsInside && record.Kind == FrameKind.Last)
        {
            _verifiedThrough = record.End;
            return status;
        }

        if (record.Kind != FrameKind.First && !startsInside)
        {
            _scanner.Seek(start);
            record = default;
            return Invalid();
        }

        // Look ahead to the batch's last frame before yielding its first (or the first one this reader yields).
        while (true)
        {
            var ahead = _scanner.Next(out var member);
            if (ahead != ScanStatus.Record || member.Kind is FrameKind.Full or FrameKind.First or FrameKind.Marker)
            {
                _scanner.Seek(start);
                record = default;
                return ahead == ScanStatus.End ? ScanStatus.End : Invalid();
            }

            if (member.Kind is FrameKind.Last or FrameKind.Commit)
            {
                _verifiedThrough = member.End;
                _scanner.Seek(start);
                return _scanner.Next(out record);
            }
        }
    }

    /// <summary>Moves the end of the readable range, for a reader that follows a growing log.</summary>
    public void SetEnd(long end) => _scanner.SetEnd(end);

    public void Dispose() => _scanner.Dispose();

    private static ScanStatus Invalid() => ScanStatus.Invalid;
}
