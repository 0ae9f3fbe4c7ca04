using System.Runtime.InteropServices;

namespace WalActors.Storage;

/// <summary>Turns operating-system failures into the log's typed errors.</summary>
internal static class StoreErrors
{
    // .NET reports ENOSPC on Unix as an IOException whose HResult is the errno itself,
    // and on Windows as ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL wrapped in an HRESULT.
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static WalIOException Wrap(string operation, string? path, Exception error) =>
        error as WalIOException ?? new WalIOException(operation, path, error, IsDiskFull(error));

    public static WalIOException FromErrno(string operation, string? path, int errno)
    {
        var inner = new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
        return new WalIOException(operation, path, inner, errno == Errno.NoSpace);
    }

    private static bool IsDiskFull(Exception error) =>
        error is IOException { HResult: Errno.NoSpace or WindowsDiskFull or WindowsHandleDiskFull };
}
