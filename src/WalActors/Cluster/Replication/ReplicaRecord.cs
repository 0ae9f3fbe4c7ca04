using System.Buffers.Binary;
using System.Text;

namespace WalActors.Cluster.Replication;

/// <summary>
/// The records of a node's ledger-copy log. One log holds every copy the node keeps (so that the copies share its
/// barriers), so each record starts with the ledger it belongs to; the log is append-only and assigns its own LSNs, so
/// each record also says which ledger position it holds. Replaying a ledger's records in log order rebuilds its copy
/// exactly:
/// <code>
/// every record  ledger id length (uint16) | ledger id (UTF-8) | kind | …
/// entry         kind=1 | writer epoch | entry epoch | position | payload (the rest)
/// fence         kind=2 | epoch
/// truncate      kind=3 | writer epoch | position
/// committed     kind=4 | position
/// </code>
/// A truncate starts every batch of a new writer: it drops the positions from its own on (entries no quorum held,
/// left by an older writer) in the same atomic log batch as the entries that replace them. A committed record holds the
/// quorum end the current writer told the copy (BookKeeper's last-add-confirmed): every entry below it is acknowledged,
/// the same on every copy, and never truncated, so readers of the copy may see it.
/// </summary>
internal readonly record struct ReplicaRecord(ReplicaRecordKind Kind, long WriterEpoch, long EntryEpoch, long Position, ReadOnlyMemory<byte> Payload)
{
    private const int EntryHeader = 1 + 8 + 8 + 8;

    /// <summary>The longest ledger id a record can name, in UTF-8 bytes.</summary>
    public const int MaxLedgerIdBytes = ushort.MaxValue;

    /// <summary>The prefix of every record of <paramref name="ledger"/>'s copy (computed once per copy).</summary>
    /// <exception cref="ArgumentException">The id is longer than <see cref="MaxLedgerIdBytes"/> in UTF-8.</exception>
    public static byte[] LedgerKey(string ledger)
    {
        var length = Encoding.UTF8.GetByteCount(ledger);
        if (length > MaxLedgerIdBytes)
        {
            throw new ArgumentException($"A ledger id of {length} UTF-8 bytes is longer than the {MaxLedgerIdBytes} a copy's record can name.", nameof(ledger));
        }

        var key = new byte[2 + length];
        BinaryPrimitives.WriteUInt16LittleEndian(key, (ushort)length);
        Encoding.UTF8.GetBytes(ledger, key.AsSpan(2));
        return key;
    }

    public static byte[] Entry(byte[] ledgerKey, long writerEpoch, long position, LedgerEntry entry)
    {
        var bytes = Start(ledgerKey, ReplicaRecordKind.Entry, EntryHeader - 1 + entry.Payload.Length, out var body);
        BinaryPrimitives.WriteInt64LittleEndian(body, writerEpoch);
        BinaryPrimitives.WriteInt64LittleEndian(body[8..], entry.Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(body[16..], position);
        entry.Payload.CopyTo(body[24..]);
        return bytes;
    }

    public static byte[] Fence(byte[] ledgerKey, long epoch) => WithNumbers(ledgerKey, ReplicaRecordKind.Fence, epoch);

    public static byte[] Truncate(byte[] ledgerKey, long writerEpoch, long position) => WithNumbers(ledgerKey, ReplicaRecordKind.Truncate, writerEpoch, position);

    public static byte[] Committed(byte[] ledgerKey, long end) => WithNumbers(ledgerKey, ReplicaRecordKind.Committed, end);

    /// <summary>The ledger a record belongs to.</summary>
    /// <exception cref="InvalidDataException">The record is too short to name one.</exception>
    public static string LedgerOf(ReadOnlySpan<byte> record) => Encoding.UTF8.GetString(KeyOf(record)[2..]);

    /// <summary>Whether the record belongs to the ledger <paramref name="ledgerKey"/> (<see cref="LedgerKey"/>) names.</summary>
    /// <exception cref="InvalidDataException">The record is too short to name a ledger.</exception>
    public static bool BelongsTo(ReadOnlySpan<byte> record, byte[] ledgerKey) => KeyOf(record).SequenceEqual(ledgerKey);

    /// <summary>Decodes a record, its ledger id skipped (see <see cref="LedgerOf"/>).</summary>
    /// <exception cref="InvalidDataException">The record is not one a replica writes.</exception>
    public static ReplicaRecord Decode(ReadOnlyMemory<byte> keyed)
    {
        var record = keyed[KeyOf(keyed.Span).Length..];
        var span = record.Span;
        switch (span.Length > 0 ? (ReplicaRecordKind)span[0] : 0)
        {
            case ReplicaRecordKind.Entry when span.Length >= EntryHeader:
                return new ReplicaRecord(ReplicaRecordKind.Entry, Int64(span, 1), Int64(span, 9), Int64(span, 17), record[EntryHeader..]);
            case ReplicaRecordKind.Fence when span.Length == 9:
                return new ReplicaRecord(ReplicaRecordKind.Fence, Int64(span, 1), 0, 0, default);
            case ReplicaRecordKind.Truncate when span.Length == 17:
                return new ReplicaRecord(ReplicaRecordKind.Truncate, Int64(span, 1), 0, Int64(span, 9), default);
            case ReplicaRecordKind.Committed when span.Length == 9:
                return new ReplicaRecord(ReplicaRecordKind.Committed, 0, 0, Int64(span, 1), default);
            default:
                throw new InvalidDataException($"A replica log record of {span.Length} bytes is not an entry, a fence, a truncate or a committed end.");
        }
    }

    private static ReadOnlySpan<byte> KeyOf(ReadOnlySpan<byte> record)
    {
        if (record.Length < 2 || record.Length < 2 + BinaryPrimitives.ReadUInt16LittleEndian(record))
        {
            throw new InvalidDataException($"A ledger copy's record of {record.Length} bytes is too short to name its ledger.");
        }

        return record[..(2 + BinaryPrimitives.ReadUInt16LittleEndian(record))];
    }

    private static byte[] Start(byte[] ledgerKey, ReplicaRecordKind kind, int bodyLength, out Span<byte> body)
    {
        var bytes = new byte[ledgerKey.Length + 1 + bodyLength];
        ledgerKey.CopyTo(bytes, 0);
        bytes[ledgerKey.Length] = (byte)kind;
        body = bytes.AsSpan(ledgerKey.Length + 1);
        return bytes;
    }

    private static byte[] WithNumbers(byte[] ledgerKey, ReplicaRecordKind kind, params ReadOnlySpan<long> numbers)
    {
        var bytes = Start(ledgerKey, kind, 8 * numbers.Length, out var body);
        for (var i = 0; i < numbers.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body[(8 * i)..], numbers[i]);
        }

        return bytes;
    }

    private static long Int64(ReadOnlySpan<byte> span, int offset) => BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
}
