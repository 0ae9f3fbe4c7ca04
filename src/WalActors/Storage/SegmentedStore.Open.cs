using System.Collections.Immutable;
using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>Opening a log directory: for writing (creating a new log, taking the lock) or read-only.</summary>
public sealed partial class SegmentedStore
{
    /// <summary>
    /// Opens the log in <paramref name="directory"/> for writing, creating the directory and an empty log if
    /// there is none, and takes the log's exclusive lock.
    /// </summary>
    /// <exception cref="NotAWalLogException">The directory holds files but no WalActors manifest.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    /// <exception cref="LogInUseException">Another process or another open in this process holds the log.</exception>
    /// <exception cref="LogDamagedException">A segment file is missing, misnamed or of the wrong size; nothing was modified.</exception>
    /// <exception cref="WalIOException">The file system refused an operation.</exception>
    /// <exception cref="ArgumentException"><paramref name="segmentSize"/> is not a positive multiple of 4 KiB.</exception>
    /// <param name="directory">The log's directory; created if missing.</param>
    /// <param name="segmentSize">The size of each segment file of a new log (64 MiB by default); an existing log keeps its own.</param>
    public static SegmentedStore Open(string directory, long segmentSize = SegmentedStoreOptions.DefaultSegmentSize) =>
        Open(directory, new SegmentedStoreOptions { SegmentSize = segmentSize });

    /// <summary>Opens the log in <paramref name="directory"/> for writing, laid out (if new) and checked as <paramref name="options"/> say.</summary>
    internal static SegmentedStore Open(string directory, SegmentedStoreOptions options)
    {
        options.Validate();
        var fullPath = Path.GetFullPath(directory);
        var isNew = PrepareDirectory(fullPath);
        var manifest = isNew ? null : StoreManifest.Read(fullPath);

        OpenLogRegistry.Claim(fullPath);
        SafeFileHandle? lockFile = null;
        try
        {
            lockFile = ExclusiveFile.Open(Path.Combine(fullPath, LockFileName), fullPath);
            if (manifest is null)
            {
                manifest = new StoreManifest(StoreManifest.CurrentFormatVersion, options.SegmentSize, ImmutableSortedDictionary<string, long>.Empty)
                    .With(StoreManifest.HeadProperty, 0);
                manifest.Write(fullPath);
            }

            DeletePendingFiles(fullPath);
            var table = SegmentDirectory.Open(fullPath, manifest, HeadOf(manifest, null), readOnly: false, options.Salvage);
            if (options.Salvage && manifest.LastSegment is { } recorded && (table.Last?.BaseOffset ?? -1) < recorded)
            {
                manifest = manifest.With(StoreManifest.LastSegmentProperty, table.Last?.BaseOffset ?? -1);
                manifest.Write(fullPath);
            }

            manifest = ForgetRecycledWithoutFiles(fullPath, manifest, table);

            // A process that crashed may have left writes in the page cache that no barrier covered; the first sync
            // of this store must flush them before anything built on them is acknowledged.
            foreach (var segment in table.Segments)
            {
                segment.MarkDirty();
            }

            var store = new SegmentedStore(fullPath, manifest, table, lockFile, fullPath) { _recycleSegments = options.RecycleSegments };
            store.LoadRecoveryPointEnd();
            return store;
        }
        catch
        {
            lockFile?.Dispose();
            OpenLogRegistry.Release(fullPath);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing log for reading only, without its lock, so it can be inspected while another process writes it.
    /// Nothing in the directory is modified; writes, truncation and syncs throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public static SegmentedStore OpenReadOnly(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(fullPath))
        {
            throw new NotAWalLogException(fullPath, "the directory does not exist");
        }

        if (!StoreManifest.ExistsIn(fullPath))
        {
            throw new NotAWalLogException(fullPath, $"there is no '{StoreManifest.FileName}' file");
        }

        // A writer at work records a new head, then deletes the files below it, and records a segment once it created
        // it: a look between the two steps sees a manifest the files no longer match. Such a look is taken again; damage
        // is what a manifest that stays the same still does not match.
        for (var attempt = 1; ; attempt++)
        {
            var manifest = StoreManifest.Read(fullPath);
            try
            {
                var table = SegmentDirectory.Open(fullPath, manifest, HeadOf(manifest, null), readOnly: true);
                return new SegmentedStore(fullPath, manifest, table, lockFile: null, claimedPath: null);
            }
            catch (Exception e) when (e is LogDamagedException or WalIOException && attempt < 3 && !StoreManifest.Read(fullPath).SaysTheSameAs(manifest))
            {
            }
        }
    }

    /// <summary>Whether <paramref name="directory"/> holds a WalActors log (its manifest exists).</summary>
    internal static bool Exists(string directory) => StoreManifest.ExistsIn(Path.GetFullPath(directory));

    /// <summary>Creates the directory if needed; returns true when it is empty (a new log), throws if it holds something else.</summary>
    private static bool PrepareDirectory(string fullPath)
    {
        if (File.Exists(fullPath))
        {
            throw new NotAWalLogException(fullPath, "it is a file, not a directory");
        }

        if (!System.IO.Directory.Exists(fullPath))
        {
            try
            {
                System.IO.Directory.CreateDirectory(fullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StoreErrors.Wrap("creating the log directory", fullPath, e);
            }

            var parent = Path.GetDirectoryName(fullPath);
            if (parent is not null)
            {
                DurabilityBarrier.FlushDirectory(parent);
            }

            return true;
        }

        if (StoreManifest.ExistsIn(fullPath))
        {
            return false;
        }

        // A process killed while creating the log leaves its lock file and a manifest never renamed into place:
        // those are the log's own, and it is still new.
        string[] ownLeftovers = [LockFileName, StoreManifest.FileName + SegmentFileNames.PendingExtension];
        var foreign = System.IO.Directory.EnumerateFileSystemEntries(fullPath)
            .Select(Path.GetFileName)
            .FirstOrDefault(name => !ownLeftovers.Contains(name));
        if (foreign is not null)
        {
            throw new NotAWalLogException(fullPath, $"the directory is not empty ('{foreign}') and has no '{StoreManifest.FileName}' file");
        }

        return true;
    }

    private static void DeletePendingFiles(string directory)
    {
        foreach (var pending in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.PendingExtension))
        {
            SegmentFile.TryDelete(pending);
        }
    }
}
