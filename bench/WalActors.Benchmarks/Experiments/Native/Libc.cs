using System.Runtime.InteropServices;

namespace WalActors.Benchmarks.Experiments.Native;

/// <summary>
/// The POSIX calls the write-path experiments need and .NET does not expose (direct and synchronous opens, data-only
/// sync, sync_file_range, fadvise, fallocate, mmap, raw syscalls for io_uring). Bench-only: the library has its own few.
/// </summary>
internal static partial class Libc
{
    private const string Library = "libc";

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "pwrite", SetLastError = true)]
    public static unsafe partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "pread", SetLastError = true)]
    public static unsafe partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "fdatasync", SetLastError = true)]
    public static partial int FDataSync(int fd);

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport(Library, EntryPoint = "sync_file_range", SetLastError = true)]
    public static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    /// <summary>posix_fadvise returns the error number itself (0 on success), it does not set errno.</summary>
    [LibraryImport(Library, EntryPoint = "posix_fadvise")]
    public static partial int FAdvise(int fd, long offset, long length, int advice);

    [LibraryImport(Library, EntryPoint = "fallocate", SetLastError = true)]
    public static partial int FAllocate(int fd, int mode, long offset, long length);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int MUnmap(nint address, nuint length);

    // syscall(2) is variadic; glibc's is written in assembly and reads its six arguments from the integer registers,
    // so a fixed six-argument import is what the calling convention passes anyway (x86-64 and arm64).
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);
}
