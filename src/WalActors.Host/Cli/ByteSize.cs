using System.Globalization;

namespace WalActors.Host.Cli;

/// <summary>Parses sizes as people write them on a command line: 1073741824, 512MiB, 1GiB, 64M, 16k.</summary>
internal static class ByteSize
{
    public static long Parse(string text)
    {
        var trimmed = text.Trim();
        var digits = trimmed.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        if (digits == 0 || !double.TryParse(trimmed[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new UsageException($"'{text}' is not a size (examples: 1GiB, 64MiB, 1048576).");
        }

        long unit = trimmed[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => throw new UsageException($"'{text}' has an unknown unit (use B, KiB, MiB or GiB)."),
        };
        return (long)(number * unit);
    }
}
