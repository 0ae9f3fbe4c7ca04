using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Journal;

/// <summary>
/// One shard's ledger as this node's journal holds it open: written at one epoch (the shard lease's holding), with the
/// index of what it holds. A new holding of the lease opens a new one (recovery at the new epoch).
/// </summary>
internal sealed class ShardLedger
{
    private const int LoadPage = 256;

    private ShardLedger(ReplicatedLedger ledger, long epoch, LedgerJournalIndex index)
    {
        Ledger = ledger;
        Epoch = epoch;
        Index = index;
    }

    public ReplicatedLedger Ledger { get; }

    /// <summary>The lease epoch this ledger is written at.</summary>
    public long Epoch { get; }

    public LedgerJournalIndex Index { get; }

    /// <summary>
    /// Recovers the ledger at <paramref name="epoch"/> from its copies (this node's and those of the followers the
    /// cluster's members give it), then indexes what this node's copy holds, read in pages.
    /// </summary>
    /// <exception cref="LedgerQuorumException">Fewer copies than W exist, or too few answered in time.</exception>
    /// <exception cref="LedgerFencedException">A copy has seen a higher epoch: another node holds the shard now.</exception>
    public static async Task<ShardLedger> OpenAsync(ActorSystem system, ClusterJournalSettings settings, string ledgerId, long epoch, LedgerCopies copies)
    {
        var (local, followers) = await copies.EnsureAsync(ledgerId).ConfigureAwait(false);
        if (followers.Count + 1 < settings.WriteQuorum)
        {
            throw new LedgerQuorumException(ledgerId, settings.WriteQuorum, followers.Count + 1, settings.Timeout);
        }

        var options = new ReplicatedLedgerOptions(ledgerId, epoch, local, followers, settings.WriteQuorum, settings.Timeout)
        {
            ConfiguredReplicas = settings.Replicas,
        };
        var ledger = await ReplicatedLedger.OpenAsync(system, options).ConfigureAwait(false);
        try
        {
            var index = new LedgerJournalIndex();
            for (var from = 0L; from < ledger.RecoveredEnd;)
            {
                var entries = await ledger.ReadAsync(from, LoadPage).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    throw new InvalidDataException($"Ledger '{ledgerId}' ended at {from} while opening, before its recovered end {ledger.RecoveredEnd}.");
                }

                foreach (var entry in entries)
                {
                    index.Apply(from++, entry.Payload);
                }
            }

            return new ShardLedger(ledger, epoch, index);
        }
        catch
        {
            await ledger.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends <paramref name="entries"/> as consecutive entries; once W copies hold them, indexes them and gives the first one's position.</summary>
    public async Task<long> AppendAsync(IReadOnlyList<byte[]> entries)
    {
        var first = await Ledger.AppendAsync([.. entries.Select(e => (ReadOnlyMemory<byte>)e)]).ConfigureAwait(false);
        for (var i = 0; i < entries.Count; i++)
        {
            Index.Apply(first + i, entries[i]);
        }

        return first;
    }

    /// <summary>
    /// The records at <paramref name="events"/> (positions never decreasing), read from this node's copy: a read covers
    /// the events ahead within one page of positions, and a read the copy answered short of them is followed by another.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(IReadOnlyList<EventPosition> events)
    {
        var (bufferFrom, buffer) = (0L, (IReadOnlyList<LedgerEntry>)[]);
        for (var i = 0; i < events.Count; i++)
        {
            var position = events[i].Position;
            if (position < bufferFrom || position >= bufferFrom + buffer.Count)
            {
                var last = i;
                while (last + 1 < events.Count && events[last + 1].Position - position < LoadPage)
                {
                    last++;
                }

                (bufferFrom, buffer) = (position, await Ledger.ReadAsync(position, (int)(events[last].Position - position + 1)).ConfigureAwait(false));
                if (buffer.Count == 0)
                {
                    throw new InvalidDataException($"Ledger entry {position} is indexed but was not read back.");
                }
            }

            yield return LedgerEntryCodec.Decode(buffer[(int)(position - bufferFrom)].Payload)[events[i].Record];
        }
    }
}
