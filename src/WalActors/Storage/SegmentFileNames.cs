using System.Globalization;

namespace WalActors.Storage;

/// <summary>How segment files are named: the zero-padded base offset, so a directory listing sorts in log order.</summary>
internal static class SegmentFileNames
{
    public const string Extension = ".seg";

    /// <summary>The extension of a segment compaction rewrote (<see cref="CompactedSegmentFile"/>).</summary>
    public const string CompactedExtension = ".cseg";
    public const string PendingExtension = ".tmp";
    private const int Digits = 20;

    public static string For(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static string ForCompacted(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture) + CompactedExtension;

    public static bool TryParse(string fileName, out long baseOffset) => TryParse(fileName, Extension, out baseOffset);

    public static bool TryParseCompacted(string fileName, out long baseOffset) => TryParse(fileName, CompactedExtension, out baseOffset);

    private static bool TryParse(string fileName, string extension, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.Length == Digits + extension.Length
            && fileName.EndsWith(extension, StringComparison.Ordinal)
            && fileName.AsSpan(0, Digits).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
