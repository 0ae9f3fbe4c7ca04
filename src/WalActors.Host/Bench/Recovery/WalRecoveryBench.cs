using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Host.Bench.Recovery;

/// <summary>
/// Builds a log of 128-byte records directly in the log's format (fast, and exactly what appends would have left),
/// then times a real open: <see cref="WriteAheadLog.Start(ActorSystem, WalOptions, string)"/> until the client's
/// <see cref="IWalClient.Ready"/>, which covers opening the segments, scanning and validating every frame, and the tail check.
/// </summary>
internal sealed class WalRecoveryBench : IRecoveryBench
{
    private const int ChunkSize = 1024 * 1024;

    public string System => "walactors";

    public Task BuildAsync(string directory, long records, int payloadSize)
    {
        Build(directory, records * FrameCodec.FrameSize(payloadSize), payloadSize);
        return Task.CompletedTask;
    }

    private static void Build(string directory, long bytes, int payloadSize)
    {
        var payload = new byte[payloadSize];
        Random.Shared.NextBytes(payload);
        var frameSize = FrameCodec.FrameSize(payloadSize);
        var chunk = new byte[ChunkSize / frameSize * frameSize];
        using var store = SegmentedStore.Open(directory);
        long lsn = 0;
        while (lsn < bytes)
        {
            var length = (int)Math.Min(chunk.Length, (bytes - lsn) / frameSize * frameSize);
            if (length == 0)
            {
                break;
            }

            for (var position = 0; position < length; position += frameSize)
            {
                FrameCodec.Encode(chunk.AsSpan(position), lsn + position, FrameKind.Full, payload, durableEnd: lsn + position);
            }

            store.WriteAt(lsn, chunk.AsSpan(0, length));
            lsn += length;
        }

        store.Sync();
    }

    public async Task<RecoveryMeasurement> MeasureAsync(string directory)
    {
        var config = ConfigurationFactory.ParseString("akka.loglevel = ERROR\nakka.stdout-loglevel = ERROR").WithFallback(WalConfig.Defaults);
        using var actorSystem = ActorSystem.Create("walactors-recovery-bench", config);
        var clock = Stopwatch.StartNew();
        var log = WriteAheadLog.Start(actorSystem, new WalOptions { Directory = directory });
        var report = await new WalClient(actorSystem, log).Ready.ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await actorSystem.Terminate().ConfigureAwait(false);
        return new RecoveryMeasurement(System, report.RecordCount, report.Bytes, seconds, "open, scan, validate every CRC, check the tail, ready");
    }
}
