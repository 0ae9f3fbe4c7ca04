using System.Runtime.InteropServices;

namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// A pause of tens of microseconds for the rate pacer. Thread.Sleep's smallest pause is a millisecond, which would turn
/// a steady rate into bursts a millisecond apart; spinning instead would take one of the two cores from the system
/// under test. usleep(20) wakes within ~20–80 µs (the kernel's default timer slack is 50 µs).
/// </summary>
internal static class ShortSleep
{
    private const uint Microseconds = 20;

    public static void Pause()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = MicroSleep(Microseconds);
        }
        else
        {
            Thread.Sleep(1);
        }
    }

    [DllImport("libc", EntryPoint = "usleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MicroSleep(uint microseconds);
}
