namespace WalActors.Storage;

/// <summary>What the log keeps in its manifest on its own behalf: the head it scanned for, limits it must remember.</summary>
public sealed partial class SegmentedStore
{
    /// <summary>
    /// Records <paramref name="head"/>, a record start found by scanning, as the head of a log whose version 1 manifest
    /// only knew the base of its first segment.
    /// </summary>
    internal void RecordHead(long head)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            var updated = _manifest.With(StoreManifest.HeadProperty, head);
            updated.Write(Directory);
            _manifest = updated;
            Volatile.Write(ref _head, head);
        }
    }

    /// <summary>Sets a numeric property in the log's manifest, durably; the log uses these for limits it must remember.</summary>
    internal void SetProperty(string key, long value)
    {
        EnsureWritable();
        lock (_structure)
        {
            ThrowIfDisposed();
            if (_manifest.Properties.TryGetValue(key, out var current) && current == value)
            {
                return;
            }

            var updated = _manifest.With(key, value);
            updated.Write(Directory);
            _manifest = updated;
        }
    }
}
