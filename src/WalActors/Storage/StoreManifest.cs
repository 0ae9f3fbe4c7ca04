using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace WalActors.Storage;

/// <summary>
/// The small text file that marks a directory as a WalActors log: its format version, its segment size,
/// and numeric properties the log keeps for its own recovery (limits that must never shrink below what was written,
/// the LSN of its first record, the last segment it created).
/// </summary>
/// <remarks>
/// Format version 2 added <see cref="HeadProperty"/> and <see cref="LastSegmentProperty"/>; a version 1 manifest is read
/// and upgraded by the first process that opens the log for writing.
/// </remarks>
internal sealed record StoreManifest(int FormatVersion, long SegmentSize, ImmutableSortedDictionary<string, long> Properties)
{
    public const string FileName = "walactors.meta";
    public const int CurrentFormatVersion = 2;

    /// <summary>The LSN of the log's first record: where recovery, reads and tails start. Always a record start.</summary>
    public const string HeadProperty = "head";

    /// <summary>The base offset of the last segment file the log created: it and every one from the head's on must exist.</summary>
    public const string LastSegmentProperty = "last-segment";

    /// <summary>
    /// The prefix of the properties that record a recycled segment: <c>recycled.BASE OLD</c> says the file at base offset
    /// BASE was the segment at OLD, renamed instead of deleted, so the frames it still holds are OLD's, stale here.
    /// </summary>
    public const string RecycledPrefix = "recycled.";

    private const string Magic = "walactors-log";

    /// <summary>The recorded head, or null in a version 1 manifest.</summary>
    public long? Head => Properties.TryGetValue(HeadProperty, out var head) ? head : null;

    /// <summary>The recorded last segment, or null when the log never created one (or in a version 1 manifest).</summary>
    public long? LastSegment => Properties.TryGetValue(LastSegmentProperty, out var last) && last >= 0 ? last : null;

    /// <summary>The recycled segments: each one's base offset, and the base offset its frames were written at.</summary>
    public IReadOnlyDictionary<long, long> RecycledSegments =>
        Properties.Where(p => p.Key.StartsWith(RecycledPrefix, StringComparison.Ordinal))
            .ToDictionary(p => long.Parse(p.Key.AsSpan(RecycledPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture), p => p.Value);

    /// <summary>The property that records the segment at <paramref name="baseOffset"/> as recycled.</summary>
    public static string RecycledKey(long baseOffset) => RecycledPrefix + baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="other"/> says the same: version, segment size and every property.</summary>
    public bool SaysTheSameAs(StoreManifest other) =>
        FormatVersion == other.FormatVersion && SegmentSize == other.SegmentSize && Properties.SequenceEqual(other.Properties);

    /// <summary>This manifest at the current format version with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public StoreManifest With(string key, long value) =>
        this with { FormatVersion = CurrentFormatVersion, Properties = Properties.SetItem(key, value) };

    /// <summary>This manifest at the current format version without <paramref name="keys"/>.</summary>
    public StoreManifest Without(IEnumerable<string> keys) =>
        this with { FormatVersion = CurrentFormatVersion, Properties = Properties.RemoveRange(keys) };

    public static bool ExistsIn(string directory) => File.Exists(System.IO.Path.Combine(directory, FileName));

    public static StoreManifest Read(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("reading the log's manifest", path, e);
        }

        if (lines.Length == 0 || lines[0] != Magic)
        {
            throw new NotAWalLogException(directory, $"'{FileName}' does not start with '{Magic}'");
        }

        int? version = null;
        long? segmentSize = null;
        var properties = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw new NotAWalLogException(directory, $"'{FileName}' has an unreadable line: '{line}'");
            }

            var key = line[..space];
            switch (key)
            {
                case "format-version":
                    version = (int)value;
                    break;
                case "segment-size":
                    segmentSize = value;
                    break;
                default:
                    if (key.StartsWith(RecycledPrefix, StringComparison.Ordinal)
                        && !SegmentFileNames.TryParse(key[RecycledPrefix.Length..] + SegmentFileNames.Extension, out _))
                    {
                        throw new NotAWalLogException(directory, $"'{FileName}' has an unreadable line: '{line}'");
                    }

                    properties[key] = value;
                    break;
            }
        }

        if (version is null || segmentSize is null)
        {
            throw new NotAWalLogException(directory, $"'{FileName}' lacks its format version or segment size");
        }

        if (version > CurrentFormatVersion)
        {
            throw new UnsupportedLogFormatException(directory, version.Value, CurrentFormatVersion);
        }

        if (segmentSize <= 0)
        {
            throw new NotAWalLogException(directory, $"'{FileName}' has an invalid segment size {segmentSize}");
        }

        return new StoreManifest(version.Value, segmentSize.Value, properties.ToImmutable());
    }

    /// <summary>Replaces the manifest atomically and durably: write a temporary file, sync it, rename it, sync the directory.</summary>
    public void Write(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var pending = path + SegmentFileNames.PendingExtension;
        var text = new StringBuilder()
            .Append(Magic).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"format-version {FormatVersion}\n")
            .Append(CultureInfo.InvariantCulture, $"segment-size {SegmentSize}\n");
        foreach (var (key, value) in Properties)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key} {value}\n");
        }

        try
        {
            using (var handle = File.OpenHandle(pending, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                PositionedIO.WriteAll(handle, 0, Encoding.UTF8.GetBytes(text.ToString()), pending);
                DurabilityBarrier.Flush(handle, pending);
            }

            File.Move(pending, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("writing the log's manifest", path, e);
        }

        DurabilityBarrier.FlushDirectory(directory);
    }
}
