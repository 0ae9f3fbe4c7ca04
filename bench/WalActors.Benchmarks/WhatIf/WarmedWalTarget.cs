using WalActors.Host.Bench.Measurement;
using WalActors.Host.Bench.OpenLoop;
using WalActors.Host.Bench.Targets;

namespace WalActors.Benchmarks.WhatIf;

/// <summary>
/// What-if: WalActors through <see cref="IWalClient"/> exactly as <c>walactors-client</c>, with every segment warmed by
/// a <see cref="SegmentWarmer"/> as soon as it exists, to measure on the real pipeline what taking the page reads off
/// the write path would give before the storage layer does it. Its warming reads are reported apart.
/// </summary>
internal sealed class WarmedWalTarget(string directory) : IBenchTarget, IOpenLoopTarget, IBackgroundReads
{
    /// <summary>Its name in the report.</summary>
    public const string Name = "walactors-warmed";

    private readonly WalClientTarget _log = new(directory);
    private SegmentWarmer? _warmer;

    public double BackgroundReadBytes => _warmer?.ReadBytes ?? 0;

    // The warmer starts before the log so that the segments made while it opens are warmed as they appear.
    public Task OpenAsync()
    {
        _warmer = new SegmentWarmer(Path.Combine(directory, "wal"));
        return _log.OpenAsync();
    }

    public Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload) => _log.RunProducersAsync(recorder, payload);

    public ValueTask<long> ReadSyncsAsync() => _log.ReadSyncsAsync();

    public void Offer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder) => _log.Offer(payload, scheduled, recorder);

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync().ConfigureAwait(false);
        _warmer?.Dispose();
    }
}
