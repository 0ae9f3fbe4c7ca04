namespace WalActors.Host.Reading;

/// <summary>
/// The checks on <c>--dir</c> made before the library sees it, so every command words these two mistakes the same way:
/// a regular file is "a file", and for a command that only reads, a missing directory is "no such directory".
/// </summary>
internal static class LogDirectory
{
    /// <summary>The full path of a directory that is, or may become, a log; a regular file there is refused.</summary>
    /// <exception cref="NotAWalLogException">A regular file is at <paramref name="directory"/>.</exception>
    public static string ForWriting(string directory)
    {
        var full = Path.GetFullPath(directory);
        return File.Exists(full) ? throw new NotAWalLogException(full, "it is a file, not a directory") : full;
    }

    /// <summary>The full path of a directory that must already hold a log.</summary>
    /// <exception cref="NotAWalLogException">Nothing, or a regular file, is at <paramref name="directory"/>.</exception>
    public static string ForReading(string directory)
    {
        var full = ForWriting(directory);
        return Directory.Exists(full) ? full : throw new NotAWalLogException(full, "there is no such directory");
    }
}
