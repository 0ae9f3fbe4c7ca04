using System.Collections.Concurrent;

namespace WalActors.Storage;

/// <summary>
/// The logs this process has open. File locks alone cannot be trusted to refuse a second open from the
/// same process on every platform (POSIX record locks are per process), so the registry refuses it first.
/// </summary>
internal static class OpenLogRegistry
{
    private static readonly ConcurrentDictionary<string, byte> Open = new(
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    /// <summary>Claims <paramref name="fullPath"/> for this open; throws <see cref="LogInUseException"/> if already claimed.</summary>
    public static void Claim(string fullPath)
    {
        if (!Open.TryAdd(fullPath, 0))
        {
            throw new LogInUseException(fullPath);
        }
    }

    public static void Release(string fullPath) => Open.TryRemove(fullPath, out _);
}
