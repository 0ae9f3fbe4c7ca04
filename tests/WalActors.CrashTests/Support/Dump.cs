using System.Text.Json;
using WalActors.Tests.Support;

namespace WalActors.CrashTests.Support;

/// <summary>Runs <c>walactors dump --format jsonl</c> on a log and reads back what it printed.</summary>
internal static class Dump
{
    public static async Task<(int ExitCode, IReadOnlyList<DumpedRecord> Records, string Error)> RunAsync(string directory, params string[] more)
    {
        var (exitCode, output, error) = await WalactorsProcess.RunAsync(TimeSpan.FromMinutes(2), ["dump", "--dir", directory, "--format", "jsonl", .. more]);
        var records = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        return (exitCode, records, error);
    }

    private static DumpedRecord Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var payload = root.GetProperty("payload").GetBytesFromBase64();
        Assert.Equal(root.GetProperty("length").GetInt32(), payload.Length);
        Assert.Equal(3, root.EnumerateObject().Count());
        return new DumpedRecord(root.GetProperty("lsn").GetInt64(), payload);
    }
}
