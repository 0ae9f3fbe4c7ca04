using System.Runtime.InteropServices;

namespace WalActors.Host.Bench.Measurement;

/// <summary>getrusage(RUSAGE_SELF): the block input and output counts and the major page faults of the whole process, all threads.</summary>
/// <remarks>
/// DllImport rather than LibraryImport: the tool is built without unsafe code, and a blittable array needs none. The
/// layout is Linux's <c>struct rusage</c> on 64-bit: two timevals (4 longs), then 14 longs, ru_majflt the 6th,
/// ru_inblock the 8th and ru_oublock the 9th of them.
/// </remarks>
internal static class ResourceUsage
{
    private const int Self = 0;
    private const int MajorFaultIndex = 4 + 5;
    private const int InBlockIndex = 4 + 7;
    private const int OutBlockIndex = 4 + 8;
    private const int Longs = 4 + 14;

    /// <summary>
    /// ru_inblock and ru_oublock (512-byte blocks) and ru_majflt (page faults that read from storage: code or data of a
    /// mapped file, such as the runtime's own libraries, touched for the first time); NaN where getrusage is not available.
    /// </summary>
    public static (double In, double Out, double MajorFaults) Blocks()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var usage = new long[Longs];
        try
        {
            return GetResourceUsage(Self, usage) == 0
                ? (usage[InBlockIndex], usage[OutBlockIndex], usage[MajorFaultIndex])
                : (double.NaN, double.NaN, double.NaN);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetResourceUsage(int who, [Out] long[] usage);
}
