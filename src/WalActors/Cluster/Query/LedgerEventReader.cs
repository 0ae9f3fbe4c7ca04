using System.Runtime.CompilerServices;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Replication;
using WalActors.Persistence;

namespace WalActors.Cluster.Query;

/// <summary>
/// A ledger's events in ledger order, as a query delivers them: snapshot records left out, deleted events left out, from
/// a position on, up to the committed end (a current query) or on as more is committed (a live one).
/// </summary>
/// <remarks>
/// A tombstone comes after the events it deletes (an actor deletes what it wrote), and sequence numbers only grow, so
/// the events after a position can only be deleted by tombstones after it too. Before delivering anything the reader
/// therefore scans from its start to the committed end of that moment for tombstones; every deletion committed before
/// the query reached the ledger's end is respected. A deletion committed later cannot take back what was delivered.
/// </remarks>
internal static class LedgerEventReader
{
    /// <summary>
    /// The events after <paramref name="after"/> (from the ledger's start when null) that <paramref name="wanted"/>
    /// accepts. Current (<paramref name="live"/> false): ends at the first read that finds nothing more committed.
    /// Live: then asks again every <paramref name="refresh"/>.
    /// </summary>
    /// <exception cref="LedgerQuorumException">No copy of the ledger answered in time.</exception>
    /// <exception cref="InvalidDataException">A committed entry is not a cluster journal entry.</exception>
    public static async IAsyncEnumerable<LedgerEvent> ReadAsync(
        LedgerCopyReader reader,
        LedgerPosition? after,
        Func<JournalEvent, bool> wanted,
        bool live,
        TimeSpan refresh,
        [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var start = after?.Entry ?? 0;
        var deletedTo = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var scanned = start; ;)
        {
            var page = await reader.ReadAsync(scanned).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            for (var i = 0; i < page.Count; i++)
            {
                foreach (var record in Records(reader.Ledger, scanned + i, page[i]))
                {
                    if (!LedgerSnapshotCodec.IsSnapshotRecord(record.Span) && JournalRecordCodec.KindOf(record.Span) == JournalRecordKind.Tombstone)
                    {
                        Delete(deletedTo, JournalRecordCodec.DecodeTombstone(record.Span));
                    }
                }
            }

            scanned += page.Count;
        }

        for (var position = start; ;)
        {
            var page = await reader.ReadAsync(position).ConfigureAwait(false);
            if (page.Count == 0)
            {
                if (!live)
                {
                    yield break;
                }

                await Task.Delay(refresh, cancel).ConfigureAwait(false);
                continue;
            }

            for (var i = 0; i < page.Count; i++, position++)
            {
                var records = Records(reader.Ledger, position, page[i]);
                for (var r = 0; r < records.Count; r++)
                {
                    var at = new LedgerPosition(position, r);
                    if ((after is { } a && at <= a) || LedgerSnapshotCodec.IsSnapshotRecord(records[r].Span))
                    {
                        continue;
                    }

                    if (JournalRecordCodec.KindOf(records[r].Span) == JournalRecordKind.Tombstone)
                    {
                        Delete(deletedTo, JournalRecordCodec.DecodeTombstone(records[r].Span));
                        continue;
                    }

                    var stored = JournalRecordCodec.DecodeEvent(records[r]);
                    if ((!deletedTo.TryGetValue(stored.PersistenceId, out var deleted) || stored.SequenceNr > deleted) && wanted(stored))
                    {
                        yield return new LedgerEvent(reader.Ledger, at, stored);
                    }
                }
            }
        }
    }

    private static void Delete(Dictionary<string, long> deletedTo, JournalTombstone tombstone) =>
        deletedTo[tombstone.PersistenceId] = Math.Max(tombstone.DeletedTo, deletedTo.GetValueOrDefault(tombstone.PersistenceId));

    // Snapshot records are kept (the caller skips them) so that record indexes are the entry's own.
    private static List<ReadOnlyMemory<byte>> Records(string ledger, long position, LedgerEntry entry)
    {
        try
        {
            return LedgerEntryCodec.Decode(entry.Payload);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Ledger '{ledger}' entry {position} is not a cluster journal entry: {e.Message}", e);
        }
    }
}
