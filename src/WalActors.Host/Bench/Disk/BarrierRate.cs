using System.Diagnostics;
using WalActors.Storage;

namespace WalActors.Host.Bench.Disk;

/// <summary>
/// One writer's raw barrier rate on this disk: small positioned writes, each followed by fdatasync, on a zero-filled
/// file (the cheapest barrier there is, docs/PERFORMANCE.md). The open-loop rows' physical bound multiplies it by the
/// appends in flight.
/// </summary>
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
            long offset = 0, barriers = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                RandomAccess.Write(file, data, offset);
                DurabilityBarrier.Flush(file, path);
                offset = (offset + WriteSize) % (FileSize - WriteSize);
                barriers++;
            }

            return barriers / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
