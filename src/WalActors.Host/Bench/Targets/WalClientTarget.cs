using System.Diagnostics;
using WalActors.Host.Bench.Measurement;
using WalActors.Host.Bench.OpenLoop;

namespace WalActors.Host.Bench.Targets;

/// <summary>WalActors through <see cref="IWalClient.AppendAsync"/>: each producer is an async loop awaiting every append.</summary>
internal sealed class WalClientTarget(string directory) : WalActorsTarget(directory), IOpenLoopTarget
{
    public override Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload) =>
        Task.WhenAll(Enumerable.Range(0, recorder.Producers).Select(p => Task.Run(() => ProduceAsync(recorder, p, payload))));

    public void Offer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder) => _ = OfferAsync(payload, scheduled, recorder);

    private async Task ProduceAsync(LoadRecorder recorder, int producer, ReadOnlyMemory<byte> payload)
    {
        IWalClient client = Client;
        while (!recorder.Stopping)
        {
            var start = Stopwatch.GetTimestamp();
            await client.AppendAsync(payload).ConfigureAwait(false);
            recorder.Completed(producer, start);
        }
    }

    private async Task OfferAsync(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder)
    {
        try
        {
            await ((IWalClient)Client).AppendAsync(payload).ConfigureAwait(false);
            recorder.Completed(scheduled);
        }
        catch (WalException e)
        {
            recorder.Failed(e);
        }
    }
}
