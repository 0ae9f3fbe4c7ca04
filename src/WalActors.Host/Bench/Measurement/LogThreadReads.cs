namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// Bytes read from storage by the log's own threads (those whose names start with "walactors": writers, barriers,
/// readers, segment precreation, compaction), from each thread's /proc/self/task/ID/io. A process's whole read_bytes also
/// counts whatever else the process pages in (the runtime's libraries the first time a code path runs), which is no read
/// of the log; these are. A thread that ends between two samples takes its reads with it, so this is a lower bound beside
/// the process's figure, which is an upper one.
/// </summary>
internal sealed class LogThreadReads
{
    private const string NamePrefix = "walactors";
    private readonly Dictionary<string, double> _byThread;

    private LogThreadReads(Dictionary<string, double> byThread) => _byThread = byThread;

    /// <summary>The log threads' counters now; null where /proc/self/task cannot be read (not Linux).</summary>
    public static LogThreadReads? Sample()
    {
        try
        {
            var byThread = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                var id = Path.GetFileName(task);
                if (IsLogThread(task) && StorageTraffic.ThreadReadBytes(id) is var read && !double.IsNaN(read))
                {
                    byThread[id] = read;
                }
            }

            return new LogThreadReads(byThread);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A thread that ended since the directory was listed is no longer one to count: only it is left out.
    private static bool IsLogThread(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).StartsWith(NamePrefix, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Bytes the log's threads read since <paramref name="earlier"/> (a thread new since then counts from 0).</summary>
    public double Since(LogThreadReads earlier) =>
        _byThread.Sum(t => t.Value - earlier._byThread.GetValueOrDefault(t.Key));
}
