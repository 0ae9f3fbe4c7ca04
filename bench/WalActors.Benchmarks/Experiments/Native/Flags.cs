using System.Runtime.InteropServices;

namespace WalActors.Benchmarks.Experiments.Native;

/// <summary>Linux's constants for the calls in <see cref="Libc"/>; O_DIRECT is the one that differs by architecture.</summary>
internal static class Flags
{
    public const int ReadOnly = 0x0;
    public const int WriteOnly = 0x1;
    public const int ReadWrite = 0x2;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int CloseOnExec = 0x80000;
    public const int DataSync = 0x1000;
    public const int FileMode = 0b110_100_100;

    public const uint SyncRangeWrite = 2;
    public const int AdviseWillNeed = 3;
    public const int AdviseDontNeed = 4;

    public const int ProtectReadWrite = 0x1 | 0x2;
    public const int MapShared = 0x01;
    public const int MapPopulate = 0x8000;

    public const int Interrupted = 4;

    /// <summary>O_DIRECT: 040000 on x86, 0200000 on arm; 0 where unknown (the direct rows are then skipped).</summary>
    public static int Direct => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => 0,
    };
}
