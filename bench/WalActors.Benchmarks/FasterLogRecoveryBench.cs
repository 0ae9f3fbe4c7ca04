using System.Diagnostics;
using WalActors.Host.Bench.Recovery;

namespace WalActors.Benchmarks;

/// <summary>
/// The peer: the same number of 128-byte records enqueued into FasterLog and committed, then a timed reopen
/// (FasterLog recovers from its latest commit) followed by a full scan that reads and checksums every entry.
/// FasterLog does not validate its records on open, so the scan is what puts it on a par with WalActors' recovery.
/// </summary>
internal sealed class FasterLogRecoveryBench : IRecoveryBench
{
    public string System => FasterLogTarget.Name;

    public async Task BuildAsync(string directory, long records, int payloadSize)
    {
        var payload = new byte[payloadSize];
        Random.Shared.NextBytes(payload);
        var (log, device) = FasterLogSetup.Open(directory, recover: false);
        try
        {
            for (long i = 0; i < records; i++)
            {
                // Enqueue waits for the in-memory ring to flush when it is full, so this streams to disk.
                log.Enqueue(payload.AsSpan());
            }

            await log.CommitAsync().ConfigureAwait(false);
        }
        finally
        {
            log.Dispose();
            device.Dispose();
        }
    }

    public Task<RecoveryMeasurement> MeasureAsync(string directory) => Task.FromResult(Measure(directory));

    private static unsafe RecoveryMeasurement Measure(string directory)
    {
        var clock = Stopwatch.StartNew();
        var (log, device) = FasterLogSetup.Open(directory, recover: true);
        try
        {
            long records = 0;
            var begin = log.BeginAddress;
            var end = log.CommittedUntilAddress;
            using (var iterator = log.Scan(begin, end))
            {
                while (true)
                {
                    // UnsafeGetNext hands out the entry in place, with no copy; false means the end, or a page still being read.
                    while (iterator.UnsafeGetNext(out _, out _, out _, out _))
                    {
                        iterator.UnsafeRelease();
                        records++;
                    }

                    if (iterator.NextAddress >= end || !iterator.WaitAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }
                }
            }

            return new RecoveryMeasurement(FasterLogTarget.Name, records, end - begin, clock.Elapsed.TotalSeconds, "open (recover from commit), full scan checking every entry's checksum");
        }
        finally
        {
            log.Dispose();
            device.Dispose();
        }
    }
}
