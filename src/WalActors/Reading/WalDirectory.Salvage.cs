using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>Rescuing what is valid in a damaged log that strict recovery refuses.</summary>
public static partial class WalDirectory
{
    /// <summary>
    /// Keeps the valid prefix of the log in <paramref name="directory"/> and cuts it at the first damage, after exporting
    /// every valid record found past the damage to <c>salvaged-from-LSN.jsonl</c> in the salvaged log's directory (one JSON
    /// object per line: <c>lsn</c>, <c>kind</c>, base64 <c>payload</c>). Segment files after a missing one are moved, not
    /// deleted, into its <c>salvaged-segments</c> folder, and a short one is zero-extended first. A log with no damage is
    /// simply recovered (a torn tail cut), as any open would.
    /// </summary>
    /// <param name="directory">The damaged log.</param>
    /// <param name="copyTo">
    /// When given, a directory that does not exist or is empty: the log is copied there and the copy is salvaged, leaving
    /// <paramref name="directory"/> exactly as it was.
    /// </param>
    /// <returns>What recovery found and did: where the damage was cut, how many records were kept and exported, and where to.</returns>
    /// <exception cref="NotAWalLogException">The directory does not hold a WalActors log.</exception>
    /// <exception cref="LogInUseException">Another process or another open in this process holds the log.</exception>
    /// <exception cref="UnsupportedLogFormatException">The log was written by a newer format version.</exception>
    /// <exception cref="ArgumentException"><paramref name="copyTo"/> is not empty or is the log itself.</exception>
    /// <exception cref="WalIOException">The file system refused an operation.</exception>
    public static RecoveryReport Salvage(string directory, string? copyTo = null)
    {
        var source = Path.GetFullPath(directory);
        if (!SegmentedStore.Exists(source))
        {
            throw new NotAWalLogException(source, File.Exists(source) ? "it is a file, not a directory" : $"there is no '{StoreManifest.FileName}' file");
        }

        var target = copyTo is null ? source : CopyLog(source, Path.GetFullPath(copyTo));
        var options = new WalOptions { Directory = target, RecoveryPolicy = RecoveryPolicy.Salvage };
        using var store = SegmentedStore.Open(target, new SegmentedStoreOptions { SegmentSize = options.SegmentSize, Salvage = true });
        return LogOpener.Recover(store, options.ToRecoveryOptions(), target);
    }

    private static string CopyLog(string source, string target)
    {
        if (string.Equals(source, target, StringComparison.Ordinal))
        {
            throw new ArgumentException("The copy to salvage must go to another directory than the log.", nameof(target));
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new ArgumentException($"'{target}' is not empty; salvage copies the log only into a new or empty directory.", nameof(target));
        }

        // Held while copying, so no writer changes the log under the copy.
        using var sourceLock = ExclusiveFile.Open(Path.Combine(source, SegmentedStore.LockFileName), source);
        try
        {
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(source))
            {
                var name = Path.GetFileName(file);
                if (name is not SegmentedStore.LockFileName and not LiveStatus.FileName)
                {
                    File.Copy(file, Path.Combine(target, name));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("copying the log to salvage it", target, e);
        }

        DurabilityBarrier.FlushDirectory(target);
        return target;
    }
}
