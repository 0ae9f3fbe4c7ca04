namespace WalActors.Tests.Crash;

/// <summary>
/// Every request a crash scenario sends, in every generation of its log, with payloads that name themselves
/// (<see cref="PayloadTag"/>) and are unique, so a record found after a crash identifies its append.
/// </summary>
internal sealed class CrashWorkload
{
    /// <summary>The largest payload a workload sends; a batch of the most records stays well under max-batch-size.</summary>
    public const int MaxPayload = 1400;

    public const int MaxBatchRecords = 5;

    private readonly Dictionary<PayloadTag, (WorkloadRequest Request, byte[] Payload)> _payloads = [];

    /// <summary>Creates the requests of one generation: one list per producer, in the order each sends them.</summary>
    public IReadOnlyList<IReadOnlyList<WorkloadRequest>> AddGeneration(int generation, Random random, int producers, int maxRequests)
    {
        var lists = new List<IReadOnlyList<WorkloadRequest>>(producers);
        var writtenShare = random.NextDouble() * 0.6;
        var batchShare = random.NextDouble() * 0.4;

        // Now and then a generation of large records, enough unsynced bytes to fill the in-flight window.
        var largeShare = random.Next(4) == 0 ? 0.8 : 0.1;
        for (var producer = 0; producer < producers; producer++)
        {
            var requests = new List<WorkloadRequest>();
            var count = random.Next(1, maxRequests + 1);
            for (var sequence = 0; sequence < count; sequence++)
            {
                var isBatch = random.NextDouble() < batchShare;
                var size = isBatch ? random.Next(1, MaxBatchRecords + 1) : 1;
                var durability = random.NextDouble() < writtenShare ? Durability.Written : Durability.Durable;
                var payloads = new byte[size][];
                var request = new WorkloadRequest(generation, producer, sequence, payloads, durability, isBatch);
                for (var index = 0; index < size; index++)
                {
                    payloads[index] = NewPayload(random, request.Tag(index), largeShare);
                    _payloads.Add(request.Tag(index), (request, payloads[index]));
                }

                requests.Add(request);
            }

            lists.Add(requests);
        }

        return lists;
    }

    /// <summary>Finds the request that appended <paramref name="payload"/>; false for bytes no request sent.</summary>
    public bool TryIdentify(ReadOnlySpan<byte> payload, out PayloadTag tag, out WorkloadRequest? request)
    {
        request = null;
        if (!PayloadTag.TryRead(payload, out tag) || !_payloads.TryGetValue(tag, out var known) || !payload.SequenceEqual(known.Payload))
        {
            return false;
        }

        request = known.Request;
        return true;
    }

    private static byte[] NewPayload(Random random, PayloadTag tag, double largeShare)
    {
        // Small records share a sector with others; large ones span several.
        var extra = random.NextDouble() < largeShare ? random.Next(MaxPayload - PayloadTag.Size + 1) : random.Next(200);
        var payload = new byte[PayloadTag.Size + extra];
        random.NextBytes(payload.AsSpan(PayloadTag.Size));
        tag.Write(payload);
        return payload;
    }
}
