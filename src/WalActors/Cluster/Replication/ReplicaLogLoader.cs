namespace WalActors.Cluster.Replication;

/// <summary>
/// Rebuilds the ledger copies a node's ledger-copy log holds (<see cref="ReplicaRecord"/>): one pass over the log in
/// order, each record applied to its own ledger's <see cref="ReplicaState"/>, so a node reads its log once at start
/// however many copies it keeps.
/// </summary>
internal static class ReplicaLogLoader
{
    private const int ReadPage = 4096;

    /// <summary>Every copy in the log, by ledger id; with <paramref name="only"/> (a <see cref="ReplicaRecord.LedgerKey"/>), that ledger's alone.</summary>
    /// <exception cref="InvalidDataException">A record is not a copy's record, or does not follow from the ones before it.</exception>
    public static async Task<Dictionary<string, ReplicaState>> LoadAsync(WalClient client, byte[]? only = null)
    {
        await client.Ready.ConfigureAwait(false);
        var states = new Dictionary<string, ReplicaState>(StringComparer.Ordinal);
        var from = (await client.GetStatusAsync().ConfigureAwait(false)).Head;

        // A node's copies write in runs (a batch is one ledger's): a record of the ledger before it needs no lookup.
        var (lastKey, last) = (Array.Empty<byte>(), (ReplicaState?)null);
        while (true)
        {
            var page = await client.ReadAsync(from, ReadPage).ConfigureAwait(false);
            if (page.Records.Count == 0)
            {
                return states;
            }

            foreach (var record in page.Records)
            {
                var payload = record.Payload.Span;
                if (only is not null && !ReplicaRecord.BelongsTo(payload, only))
                {
                    continue;
                }

                if (last is null || !ReplicaRecord.BelongsTo(payload, lastKey))
                {
                    var ledger = ReplicaRecord.LedgerOf(payload);
                    if (!states.TryGetValue(ledger, out last))
                    {
                        last = new ReplicaState();
                        states[ledger] = last;
                    }

                    lastKey = ReplicaRecord.LedgerKey(ledger);
                }

                last.Apply(ReplicaRecord.Decode(record.Payload), record.Lsn);
            }

            from = page.Next;
        }
    }
}
