using System.Buffers.Binary;

namespace WalActors.Persistence.Compaction;

/// <summary>
/// Per segment of a plugin's log: how many records and bytes it holds and how many of those records are dead (deleted
/// events, superseded tombstones, deleted snapshots). What decides when and where compaction is worth running.
/// Thread-safe.
/// </summary>
/// <remarks>
/// Dead bytes are estimated as dead records times the segment's mean record size, so no size is kept per record: the
/// estimate only chooses segments, and compaction itself decides record by record.
/// </remarks>
internal sealed class SegmentUsage(long segmentSize)
{
    private readonly Dictionary<long, Counts> _bySegment = [];
    private readonly Lock _lock = new();

    /// <summary>The log's segment size.</summary>
    public long SegmentSize => segmentSize;

    /// <summary>A record of <paramref name="bytes"/> (its frame) lies at <paramref name="lsn"/>.</summary>
    public void Added(long lsn, long bytes)
    {
        lock (_lock)
        {
            var counts = CountsOf(lsn);
            counts.Records++;
            counts.Bytes += bytes;
        }
    }

    /// <summary>The record at <paramref name="lsn"/> (and <paramref name="records"/> - 1 more of its batch) died.</summary>
    public void Died(long lsn, int records = 1)
    {
        lock (_lock)
        {
            var counts = CountsOf(lsn);
            counts.Dead = Math.Min(counts.Records, counts.Dead + records);
        }
    }

    /// <summary>Compaction rewrote the segment at <paramref name="baseOffset"/>: it now holds only what it kept, all of it live.</summary>
    public void Compacted(long baseOffset, long recordsKept, long bytesKept)
    {
        lock (_lock)
        {
            var counts = CountsOf(baseOffset);
            counts.Records = recordsKept;
            counts.Bytes = bytesKept;
            counts.Dead = 0;
        }
    }

    /// <summary>The estimated dead bytes and all bytes of the segments wholly below <paramref name="closedEnd"/>.</summary>
    public (long DeadBytes, long Bytes) Closed(long closedEnd)
    {
        lock (_lock)
        {
            long dead = 0, total = 0;
            foreach (var (segment, counts) in _bySegment)
            {
                if ((segment + 1) * segmentSize <= closedEnd)
                {
                    dead += counts.DeadBytes;
                    total += counts.Bytes;
                }
            }

            return (dead, total);
        }
    }

    /// <summary>The base offsets of the segments wholly below <paramref name="closedEnd"/> whose dead share is at least <paramref name="share"/>.</summary>
    public List<long> WorthCompacting(long closedEnd, double share)
    {
        lock (_lock)
        {
            return _bySegment
                .Where(s => (s.Key + 1) * segmentSize <= closedEnd && s.Value.Dead > 0 && s.Value.DeadBytes >= share * s.Value.Bytes)
                .Select(s => s.Key * segmentSize)
                .Order()
                .ToList();
        }
    }

    private Counts CountsOf(long lsn)
    {
        var segment = lsn / segmentSize;
        if (!_bySegment.TryGetValue(segment, out var counts))
        {
            _bySegment[segment] = counts = new Counts();
        }

        return counts;
    }

    /// <summary>The counts as bytes, for the persisted index's checkpoint: segment, records, bytes, dead, little-endian.</summary>
    public byte[] Serialize()
    {
        lock (_lock)
        {
            var bytes = new byte[_bySegment.Count * 32];
            var at = 0;
            foreach (var (segment, counts) in _bySegment)
            {
                var span = bytes.AsSpan(at);
                BinaryPrimitives.WriteInt64LittleEndian(span, segment);
                BinaryPrimitives.WriteInt64LittleEndian(span[8..], counts.Records);
                BinaryPrimitives.WriteInt64LittleEndian(span[16..], counts.Bytes);
                BinaryPrimitives.WriteInt64LittleEndian(span[24..], counts.Dead);
                at += 32;
            }

            return bytes;
        }
    }

    /// <summary>Takes the counts a checkpoint saved (<see cref="Serialize"/>).</summary>
    /// <exception cref="InvalidDataException">The bytes are not whole entries.</exception>
    public void Restore(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 32 != 0)
        {
            throw new InvalidDataException($"segment counts of {bytes.Length} bytes");
        }

        lock (_lock)
        {
            for (var at = 0; at < bytes.Length; at += 32)
            {
                var counts = CountsOf(BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]) * segmentSize);
                counts.Records = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 8)..]);
                counts.Bytes = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 16)..]);
                counts.Dead = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 24)..]);
            }
        }
    }

    private sealed class Counts
    {
        public long Records;
        public long Bytes;
        public long Dead;

        public long DeadBytes => Records == 0 ? 0 : (long)((double)Bytes * Dead / Records);
    }
}
