using System.Diagnostics;
using WalActors.Host.Bench.Measurement;
using WalActors.Storage;

namespace WalActors.Host.Bench.Disk;

/// <summary>
/// One writer's raw barrier rate on this disk: small positioned writes, each followed by fdatasync, on a zero-filled
/// file (the cheapest barrier there is, docs/PERFORMANCE.md). The open-loop rows' physical bound multiplies it by the
/// appends in flight.
/// </summary>
/// <remarks>
/// The rate is one over the <em>median</em> write + fdatasync, not barriers counted over the probe: on a shared machine a
/// neighbour's burst stalls a few barriers for milliseconds, and a count over one second then fell to 1,300/s where the
/// median said 8,000/s (measured while building this). The bound is what the disk allows, so the median is the figure.
/// </remarks>
internal static class BarrierRate
{
    private const long FileSize = 16L * 1024 * 1024;
    private const int WriteSize = 144;

    public static double MeasurePerSecond(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, "barrier-rate.dat");
        var data = new byte[WriteSize];
        Random.Shared.NextBytes(data);
        try
        {
            using var file = ZeroFilledFile.Create(path, FileSize);
            var latencies = new LatencyHistogram();
            long offset = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                RandomAccess.Write(file, data, offset);
                DurabilityBarrier.Flush(file, path);
                latencies.Record(Stopwatch.GetTimestamp() - start);
                offset = (offset + WriteSize) % (FileSize - WriteSize);
            }

            return 1e6 / latencies.PercentileMicroseconds(0.50);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
