using WalActors.Persistence;

namespace WalActors.Cluster.Journal;

/// <summary>
/// A cluster journal's ledger entry: one AtomicWrite (its events) or one DeleteMessagesTo (a tombstone), as the
/// single-node journal's own records (<see cref="JournalRecordCodec"/>, which carry persistence id, sequence number,
/// tags, writer uuid, timestamp and manifests), each preceded by its varint length. An entry is replicated and
/// acknowledged whole, so an AtomicWrite is in the ledger entirely or not at all.
/// </summary>
internal static class LedgerEntryCodec
{
    public static byte[] Encode(IReadOnlyList<byte[]> records)
    {
        var size = 0;
        foreach (var record in records)
        {
            size += RecordFieldWriter.SizeOfVarUInt((ulong)record.Length) + record.Length;
        }

        var entry = new byte[size];
        var writer = new RecordFieldWriter(entry);
        foreach (var record in records)
        {
            writer.WriteVarUInt((ulong)record.Length);
            writer.WriteBytes(record);
        }

        return entry;
    }

    /// <summary>The records of <paramref name="entry"/>, in order, as slices of it.</summary>
    /// <exception cref="InvalidDataException">The entry is cut short or a length runs past its end.</exception>
    public static List<ReadOnlyMemory<byte>> Decode(ReadOnlyMemory<byte> entry)
    {
        var records = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < entry.Length)
        {
            var reader = new RecordFieldReader(entry.Span[offset..]);
            var length = reader.ReadVarUInt();
            var start = offset + reader.Position;
            if (length > (ulong)(entry.Length - start))
            {
                throw new InvalidDataException("A ledger entry's record runs past the entry's end.");
            }

            records.Add(entry.Slice(start, (int)length));
            offset = start + (int)length;
        }

        return records;
    }
}
