namespace WalActors.Storage;

/// <summary>Dropping whole leading segments, and the record starts the head may move to.</summary>
public sealed partial class SegmentedStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The new head is the first record start declared with <see cref="NoteRecordStart"/> at or after the base of the
    /// first segment kept, and never past <paramref name="offset"/>, so no record at or after <paramref name="offset"/> is
    /// dropped. It is written to the manifest durably before any file is deleted: a crash in between leaves files below
    /// the head, which the next open deletes. The last segment always stays.
    /// </remarks>
    public long TruncateBefore(long offset)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            var table = _table;
            var drop = 0;
            while (drop < table.Count - 1 && table.Segments[drop].EndOffset <= offset)
            {
                drop++;
            }

            long? newHead = null;
            for (; drop > 0; drop--)
            {
                newHead = _recordStarts.FirstBetween(table.Segments[drop].BaseOffset, offset);
                if (newHead is not null)
                {
                    break;
                }
            }

            if (drop == 0 || newHead is not { } head || head <= Head)
            {
                return Head;
            }

            var updated = _manifest.With(StoreManifest.HeadProperty, head)
                .Without(_manifest.RecycledSegments.Keys.Where(b => b < table.Segments[drop].BaseOffset).Select(StoreManifest.RecycledKey));
            updated.Write(Directory);
            _manifest = updated;
            Volatile.Write(ref _head, head);
            _table = new SegmentTable(table.Segments[drop..]);
            _boundaryPages.ForgetBelow(table.Segments[drop].BaseOffset);
            try
            {
                RetireSegments(table.Segments[..drop]);
            }
            finally
            {
                _recordStarts.ForgetBefore(table.Segments[drop].BaseOffset);
            }

            return head;
        }
    }

    /// <summary>
    /// Declares that a record (or an atomic batch) starts at <paramref name="lsn"/>: a place the head may move to. Writers
    /// declare the start of every batch they write; recovery the first record it finds in each segment.
    /// </summary>
    public void NoteRecordStart(long lsn) => _recordStarts.Note(lsn);

    /// <summary>
    /// The first declared record start at or after <paramref name="position"/>, or null: where retention that wants
    /// everything before <paramref name="position"/> gone can ask <see cref="TruncateBefore"/> to move the head.
    /// </summary>
    internal long? RecordStartAtOrAfter(long position) => _recordStarts.FirstAtOrAfter(position);
}
