using System.Runtime.InteropServices;

namespace WalActors.Host.Bench;

/// <summary>Describes the machine a run happened on, so figures are never quoted without it.</summary>
internal static class MachineInfo
{
    public static string Describe(string dataDirectory) =>
        $"{Environment.ProcessorCount} cores ({Processor()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"data on {FileSystem(dataDirectory)}";

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg), or "unknown": figures from a shared machine need the load they ran under.</summary>
    public static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 3 ? string.Join(' ', fields[..3]) : "unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string Processor()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    // The mount whose path is the longest prefix of the data directory is the one the data went to.
    private static string FileSystem(string directory)
    {
        try
        {
            var full = Path.GetFullPath(directory);
            var best = File.ReadLines("/proc/mounts")
                .Select(l => l.Split(' '))
                .Where(f => f.Length > 2 && full.StartsWith(f[1], StringComparison.Ordinal))
                .MaxBy(f => f[1].Length);
            return best is null ? full : $"{best[2]} ({best[0]} on {best[1]})";
        }
        catch (IOException)
        {
            return Path.GetFullPath(directory);
        }
    }
}
