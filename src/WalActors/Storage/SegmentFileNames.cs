using System.Globalization;

namespace WalActors.Storage;

/// <summary>How segment files are named: the zero-padded base offset, so a directory listing sorts in log order.</summary>
internal static class SegmentFileNames
{
    public const string Extension = ".seg";
    public const string PendingExtension = ".tmp";
    private const int Digits = 20;

    public static string For(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParse(string fileName, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.Length == Digits + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && fileName.AsSpan(0, Digits).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
