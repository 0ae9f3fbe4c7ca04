using System.Globalization;

namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// What this process has read from and written to storage so far (not the page cache: bytes that went to or came from
/// the block device), from two sources that Linux keeps from the same per-task counter: <c>/proc/self/io</c>
/// (<c>read_bytes</c>, <c>write_bytes</c>) and <c>getrusage</c> (<c>ru_inblock</c>, <c>ru_oublock</c>, in 512-byte
/// blocks). Both are reported so a reader can check one against the other; where <c>/proc/self/io</c> is missing
/// (not Linux, or a kernel without task I/O accounting) its figures are NaN and the getrusage ones remain.
/// </summary>
/// <param name="ReadBytes">/proc/self/io read_bytes: bytes this process caused to be read from storage.</param>
/// <param name="WriteBytes">/proc/self/io write_bytes: bytes this process caused to be written to storage.</param>
/// <param name="InBlockBytes">getrusage ru_inblock × 512.</param>
/// <param name="OutBlockBytes">getrusage ru_oublock × 512.</param>
/// <param name="MajorFaults">
/// getrusage ru_majflt: page faults that read a mapped file from storage. Reads that come with them are not the log's:
/// a never-touched page of the runtime's libraries (or ICU's data) is paged in the first time a code path needs it.
/// </param>
internal readonly record struct StorageTraffic(double ReadBytes, double WriteBytes, double InBlockBytes, double OutBlockBytes, double MajorFaults)
{
    private const string ProcIo = "/proc/self/io";

    /// <summary>The counters now.</summary>
    public static StorageTraffic Sample()
    {
        var (read, write) = ReadProcIo(ProcIo);
        var (inBlocks, outBlocks, majorFaults) = ResourceUsage.Blocks();
        return new StorageTraffic(read, write, inBlocks * 512.0, outBlocks * 512.0, majorFaults);
    }

    /// <summary>The calling thread's id as /proc names it (/proc/self/task/ID), or null where there is no /proc/thread-self.</summary>
    public static string? CurrentThreadId()
    {
        try
        {
            // /proc/thread-self links to "PID/task/TID".
            return Directory.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)?.Name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>read_bytes of one thread of this process (/proc/self/task/ID/io), read now from any thread; NaN where it cannot be read.</summary>
    public static double ThreadReadBytes(string? threadId) => threadId is null ? double.NaN : ReadProcIo($"/proc/self/task/{threadId}/io").Read;

    /// <summary>What happened between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static StorageTraffic operator -(StorageTraffic after, StorageTraffic before) => new(
        after.ReadBytes - before.ReadBytes,
        after.WriteBytes - before.WriteBytes,
        after.InBlockBytes - before.InBlockBytes,
        after.OutBlockBytes - before.OutBlockBytes,
        after.MajorFaults - before.MajorFaults);

    /// <summary>The best figure for bytes read: /proc/self/io where it exists, getrusage otherwise.</summary>
    public double BestReadBytes => double.IsNaN(ReadBytes) ? InBlockBytes : ReadBytes;

    /// <summary>The best figure for bytes written, likewise.</summary>
    public double BestWriteBytes => double.IsNaN(WriteBytes) ? OutBlockBytes : WriteBytes;

    /// <summary>Bytes read from storage per megabyte (10^6 B) of <paramref name="appendedBytes"/>; NaN when nothing was appended.</summary>
    public double ReadPerMegabyte(double appendedBytes) => PerMegabyte(BestReadBytes, appendedBytes);

    /// <summary>Bytes read per megabyte appended, getrusage's figure only.</summary>
    public double InBlockPerMegabyte(double appendedBytes) => PerMegabyte(InBlockBytes, appendedBytes);

    /// <summary>Bytes written to storage per megabyte appended: the write amplification, in bytes per MB.</summary>
    public double WritePerMegabyte(double appendedBytes) => PerMegabyte(BestWriteBytes, appendedBytes);

    private static double PerMegabyte(double bytes, double appendedBytes) => appendedBytes <= 0 ? double.NaN : bytes / (appendedBytes / 1e6);

    private static (double Read, double Write) ReadProcIo(string path)
    {
        try
        {
            double read = double.NaN, write = double.NaN;
            foreach (var line in File.ReadLines(path))
            {
                read = line.StartsWith("read_bytes:", StringComparison.Ordinal) ? Value(line) : read;
                write = line.StartsWith("write_bytes:", StringComparison.Ordinal) ? Value(line) : write;
            }

            return (read, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (double.NaN, double.NaN);
        }
    }

    private static double Value(string line) =>
        long.TryParse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;
}
