using System.Diagnostics;
using WalActors.Storage;

namespace WalActors.Host.Bench.Disk;

/// <summary>The disk's sequential write bandwidth, durably: 1 MiB positioned writes into a new file, then one fdatasync.</summary>
internal static class SequentialBandwidth
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Writes <paramref name="bytes"/> twice (the first pass warms the page allocator) and returns the better MB/s (10^6 B/s).</summary>
    public static double MeasureMegabytesPerSecond(string directory, long bytes)
    {
        var chunk = new byte[ChunkSize];
        Random.Shared.NextBytes(chunk);
        var best = 0.0;
        for (var pass = 0; pass < 2; pass++)
        {
            var path = Path.Combine(directory, $"sequential-{pass}.dat");
            var clock = Stopwatch.StartNew();
            using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                for (long offset = 0; offset < bytes; offset += ChunkSize)
                {
                    RandomAccess.Write(handle, chunk.AsSpan(0, (int)Math.Min(ChunkSize, bytes - offset)), offset);
                }

                DurabilityBarrier.Flush(handle, path);
            }

            best = Math.Max(best, bytes / clock.Elapsed.TotalSeconds / 1e6);
            File.Delete(path);
        }

        return best;
    }
}
