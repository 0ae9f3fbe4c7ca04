using System.Diagnostics;
using FASTER.core;
using WalActors.Host.Bench.Measurement;
using WalActors.Host.Bench.OpenLoop;
using WalActors.Host.Bench.Targets;

namespace WalActors.Benchmarks;

/// <summary>
/// The peer: FasterLog with a background commit loop, every producer awaiting
/// <see cref="FasterLog.EnqueueAndWaitForCommitAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.
/// </summary>
internal sealed class FasterLogTarget(string directory) : IBenchTarget, IOpenLoopTarget
{
    /// <summary>Its name in the report.</summary>
    public const string Name = "fasterlog";

    private FasterLog? _log;
    private IDevice? _device;
    private Task? _committer;
    private volatile bool _closing;
    private long _commits;

    public Task OpenAsync()
    {
        (_log, _device) = FasterLogSetup.Open(Path.Combine(directory, "fasterlog"), recover: false);
        _committer = Task.Run(CommitLoopAsync);
        return Task.CompletedTask;
    }

    public Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload) =>
        Task.WhenAll(Enumerable.Range(0, recorder.Producers).Select(p => Task.Run(() => ProduceAsync(recorder, p, payload))));

    public ValueTask<long> ReadSyncsAsync() => ValueTask.FromResult(Interlocked.Read(ref _commits));

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        if (_committer is not null)
        {
            await _committer.ConfigureAwait(false);
        }

        _log?.Dispose();
        _device?.Dispose();
    }

    private async Task ProduceAsync(LoadRecorder recorder, int producer, ReadOnlyMemory<byte> payload)
    {
        var log = _log!;
        while (!recorder.Stopping)
        {
            var start = Stopwatch.GetTimestamp();
            await log.EnqueueAndWaitForCommitAsync(payload).ConfigureAwait(false);
            recorder.Completed(producer, start);
        }
    }

    public void Offer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder) => _ = OfferAsync(payload, scheduled, recorder);

    private async Task OfferAsync(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder)
    {
        try
        {
            await _log!.EnqueueAndWaitForCommitAsync(payload).ConfigureAwait(false);
            recorder.Completed(scheduled);
        }
        catch (Exception e) when (e is FasterException or IOException or OperationCanceledException)
        {
            recorder.Failed(e);
        }
    }

    // Group commit: one commit in flight at a time, the next as soon as it returns if anything was enqueued meanwhile.
    // With nothing to commit the loop yields rather than sleeps, so an enqueue never waits for a timer.
    private async Task CommitLoopAsync()
    {
        var log = _log!;
        while (!_closing)
        {
            if (log.TailAddress > log.CommittedUntilAddress)
            {
                await log.CommitAsync().ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
            }
            else
            {
                await Task.Yield();
            }
        }
    }
}
