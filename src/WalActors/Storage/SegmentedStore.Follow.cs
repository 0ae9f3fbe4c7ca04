namespace WalActors.Storage;

/// <summary>Following, read-only, a log that another process writes.</summary>
public sealed partial class SegmentedStore
{
    /// <summary>
    /// For a read-only store: picks up segments another process has created or deleted since the last look, so a
    /// follower can read a log while it grows. Returns whether anything changed.
    /// </summary>
    internal bool Refresh()
    {
        if (!IsReadOnly)
        {
            throw new InvalidOperationException("Only a read-only store follows changes made by another process.");
        }

        lock (_structure)
        {
            ThrowIfDisposed();
            var current = _table.Segments.ToDictionary(segment => segment.BaseOffset);
            var bases = SegmentDirectory.ListBases(Directory);
            try
            {
                _manifest = StoreManifest.Read(Directory);
            }
            catch (WalException)
            {
                // Replaced by a rename, so normally never torn; if unreadable, keep what was known.
            }

            var headBase = _manifest.Head is { } recorded ? recorded / SegmentSize * SegmentSize : long.MinValue;
            bases = bases.Where(b => b >= headBase).ToArray();

            // Another process creates segments at the end and deletes them at the front; keep the contiguous run
            // that ends at the newest segment.
            var start = bases.Length;
            while (start > 0 && (start == bases.Length || bases[start - 1] + SegmentSize == bases[start]))
            {
                start--;
            }

            var segments = new List<Segment>();
            foreach (var baseOffset in bases[start..])
            {
                if (current.Remove(baseOffset, out var kept))
                {
                    segments.Add(kept);
                    continue;
                }

                var path = Path.Combine(Directory, SegmentFileNames.For(baseOffset));
                try
                {
                    segments.Add(File.Exists(path) || !File.Exists(Path.Combine(Directory, SegmentFileNames.ForCompacted(baseOffset)))
                        ? new Segment(baseOffset, SegmentSize, SegmentFile.Open(path, readOnly: true), path)
                        : SegmentDirectory.OpenCompacted(Directory, baseOffset, SegmentSize, readOnly: true));
                }
                catch (WalIOException) when (!File.Exists(path))
                {
                    // Deleted by retention (or replaced by compaction) between the listing and the open.
                }
            }

            var changed = current.Count > 0 || segments.Count != _table.Count;
            _table = new SegmentTable([.. segments]);
            foreach (var gone in current.Values)
            {
                gone.Release();
            }

            Volatile.Write(ref _length, _table.Last?.EndOffset ?? 0);
            var head = HeadOf(_manifest, _table);
            changed |= head != Head;
            Volatile.Write(ref _head, head);
            return changed;
        }
    }
}
