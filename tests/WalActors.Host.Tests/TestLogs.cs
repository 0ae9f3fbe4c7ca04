using Akka.Actor;

namespace WalActors.Host.Tests;

/// <summary>Writes logs through the public API, the way an application would.</summary>
public static class TestLogs
{
    /// <summary>Options for small logs: small segments and a small in-flight window, so damage is easy to stage.</summary>
    public static WalOptions Small(string directory) => new()
    {
        Directory = directory,
        SegmentSize = 64 * 1024,
        MaxRecordSize = 4096,
        MaxBatchSize = 8192,
        WriterBatchSize = 8192,
        MaxUnsyncedBytes = 16 * 1024,
    };

    /// <summary>Appends <paramref name="payloads"/> in order, stops the log cleanly, and returns their LSNs.</summary>
    public static async Task<List<Lsn>> WriteAsync(string directory, IEnumerable<string> payloads)
    {
        using var system = ActorSystem.Create("test-writer", WalConfig.Defaults.WithFallback("akka.loglevel = WARNING"));
        var log = WriteAheadLog.Start(system, Small(directory));
        var client = new WalClient(system, log);
        var lsns = new List<Lsn>();
        foreach (var payload in payloads)
        {
            lsns.Add(await client.AppendAsync(System.Text.Encoding.UTF8.GetBytes(payload)));
        }

        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
        await system.Terminate();
        return lsns;
    }

    /// <summary>The bytes the marker a clean close leaves after the last record takes.</summary>
    public const long CloseMarkerSize = 16;

    /// <summary>
    /// Makes a cleanly closed log look as a crash would have left it: no close marker after <paramref name="end"/>, and no
    /// clean close in the manifest, so bytes from <paramref name="end"/> on are a tail that may be torn.
    /// </summary>
    public static void ForgetCleanClose(string directory, long end)
    {
        Scribble(directory, end, new byte[CloseMarkerSize]);
        var manifest = Path.Combine(directory, "walactors.meta");
        File.WriteAllLines(manifest, File.ReadAllLines(manifest).Where(line => !line.StartsWith("closed-at ", StringComparison.Ordinal)));
    }

    /// <summary>The bytes a record with <paramref name="payloadLength"/> bytes takes in the log (16-byte header, 8-byte alignment).</summary>
    public static long FrameSize(int payloadLength) => (16 + payloadLength + 7) / 8 * 8;

    /// <summary>The segment file that holds <paramref name="lsn"/> in a log written with <see cref="Small"/>.</summary>
    public static string SegmentFile(string directory, long lsn)
    {
        var segmentSize = Small(directory).SegmentSize;
        return Path.Combine(directory, (lsn / segmentSize * segmentSize).ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".seg");
    }

    /// <summary>A log of records that ends in a torn write (a frame header whose payload never arrived); returns its end.</summary>
    public static async Task<long> WriteTornAsync(string directory)
    {
        var lsns = await WriteAsync(directory, Enumerable.Range(0, 10).Select(i => $"record {i}"));
        var end = lsns[^1].Value + FrameSize("record 9".Length);
        ForgetCleanClose(directory, end);
        Scribble(directory, end, [(byte)'W', (byte)'A', 1, 1, 40, 0, 0, 0, 1, 2, 3]);
        return end;
    }

    /// <summary>A log with damage: a record well inside the log, followed by far more valid data than could be in flight; returns its LSN.</summary>
    public static async Task<long> WriteDamagedAsync(string directory)
    {
        var lsns = await WriteAsync(directory, Enumerable.Range(0, 2000).Select(i => $"record number {i:D5}"));
        Scribble(directory, lsns[3].Value + 20, [0xFF, 0xFF]);
        return lsns[3].Value;
    }

    /// <summary>Overwrites bytes at a log position directly in its segment file, as damage or a torn write would.</summary>
    public static void Scribble(string directory, long lsn, byte[] bytes)
    {
        using var stream = new FileStream(SegmentFile(directory, lsn), FileMode.Open, FileAccess.Write);
        stream.Position = lsn % Small(directory).SegmentSize;
        stream.Write(bytes);
    }
}
