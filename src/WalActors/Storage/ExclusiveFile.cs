using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>Opens a file so that no other process (and no other open in this process) can hold it at the same time.</summary>
internal static class ExclusiveFile
{
    // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix and a share-mode lock on Windows;
    // the lock dies with the process, so a killed writer never leaves a stale lock behind.
    private const int WouldBlockLinux = 11;
    private const int WouldBlockMac = 35;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    public static SafeFileHandle Open(string path, string logPath)
    {
        try
        {
            return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            throw new LogInUseException(logPath, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Wrap("opening the log", path, e);
        }
    }

    private static bool IsLockConflict(IOException e) =>
        e.HResult is WouldBlockLinux or WouldBlockMac or WindowsSharingViolation or WindowsLockViolation;
}
