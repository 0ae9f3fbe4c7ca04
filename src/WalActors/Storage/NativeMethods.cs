using System.Runtime.InteropServices;

namespace WalActors.Storage;

/// <summary>The few POSIX calls .NET does not expose: data-only sync, macOS full sync, directory sync, direct I/O, cache advice.</summary>
internal static partial class NativeMethods
{
    private const string LibC = "libc";

    /// <summary>fcntl command that makes a macOS drive flush its own write cache.</summary>
    internal const int FullFsyncCommand = 51;

    [LibraryImport(LibC, EntryPoint = "fdatasync", SetLastError = true)]
    internal static partial int FDataSync(int fd);

    [LibraryImport(LibC, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    // O_RDONLY is 0 on every Unix; a directory opened read-only can still be fsync'd.
    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OpenReadOnly(string path, int flags = 0);

    /// <summary>open(2) of an existing file with explicit flags, for the ones .NET does not offer (O_DIRECT).</summary>
    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>posix_fadvise's advice to drop a range's clean pages from the page cache (Linux's value).</summary>
    internal const int AdviseDontNeed = 4;

    /// <summary>posix_fadvise(2); it returns the error number (0 on success) rather than setting errno.</summary>
    [LibraryImport(LibC, EntryPoint = "posix_fadvise")]
    internal static partial int FAdvise(int fd, long offset, long length, int advice);

    /// <summary>setpriority(2)'s target kind for one process or, with a thread id on Linux, one thread.</summary>
    internal const int PriorityProcess = 0;

    [LibraryImport(LibC, EntryPoint = "setpriority", SetLastError = true)]
    internal static partial int SetPriority(int which, int who, int priority);

    [LibraryImport(LibC, EntryPoint = "gettid")]
    internal static partial int GetThreadId();
}
