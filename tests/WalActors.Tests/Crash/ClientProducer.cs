using System.Collections.Concurrent;

namespace WalActors.Tests.Crash;

/// <summary>The <see cref="IWalClient"/> counterpart of <see cref="CrashProducer"/>: task completions instead of reply messages.</summary>
internal static class ClientProducer
{
    /// <summary>Sends <paramref name="requests"/> in order with at most <paramref name="inFlight"/> unanswered; returns any broken promise.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IWalClient client, IReadOnlyList<WorkloadRequest> requests, int inFlight, PowerLossStore store)
    {
        var problems = new ConcurrentQueue<string>();
        using var slots = new SemaphoreSlim(inFlight);
        var answers = new List<Task>(requests.Count);
        foreach (var request in requests)
        {
            await slots.WaitAsync().ConfigureAwait(false);

            // The append is sent before AppendAsync first yields, so requests reach the log in this loop's order.
            answers.Add(AppendAsync(request));
        }

        await Task.WhenAll(answers).ConfigureAwait(false);
        return problems.ToArray();

        async Task AppendAsync(WorkloadRequest request)
        {
            try
            {
                IReadOnlyList<Lsn> lsns = request.IsBatch
                    ? await client.AppendBatchAsync(request.Payloads.Select(p => (ReadOnlyMemory<byte>)p).ToList(), request.Durability).ConfigureAwait(false)
                    : [await client.AppendAsync(request.Payloads[0], request.Durability).ConfigureAwait(false)];
                store.RecordAcknowledgement(new Acknowledgement(request, lsns.Select(l => l.Value).ToArray()));
            }
            catch (WalException e) when (!IsExpectedFailure(e, store))
            {
                problems.Enqueue($"{request} failed with the power on: {e.Message}");
            }
            catch (WalException)
            {
                // The power went off under it: not acknowledged, so nothing was promised.
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>Only a crash may fail an append in these tests, and then only as a faulted log.</summary>
    public static bool IsExpectedFailure(WalException reason, PowerLossStore store) => reason is WalFaultedException && store.IsOff;
}
