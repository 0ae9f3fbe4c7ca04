namespace WalActors.Storage;

/// <summary>The errno values the stores react to; identical on Linux and macOS.</summary>
internal static class Errno
{
    public const int IO = 5;
    public const int Interrupted = 4;
    public const int NoSpace = 28;
}
