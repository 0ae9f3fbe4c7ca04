using System.Buffers.Binary;

namespace WalActors.Persistence.Index;

/// <summary>
/// The keys of the persisted index. Numbers are big-endian so that the store's byte order is numeric order: one
/// persistence id's events lie together in sequence-number order, one tag's and all events in LSN order.
/// </summary>
/// <remarks>
/// Persistence ids and tags are numbered in the order the index first met them (their names are stored once, under
/// <see cref="IdPrefix"/> and <see cref="TagPrefix"/>), so an event's keys are short whatever its id's length.
/// </remarks>
internal static class IndexKeys
{
    /// <summary><c>e</c> + id number + sequence number → LSN + frame length.</summary>
    public const byte EventPrefix = (byte)'e';

    /// <summary><c>t</c> + tag number + LSN → id number + sequence number + frame length.</summary>
    public const byte TaggedPrefix = (byte)'t';

    /// <summary><c>a</c> + LSN → id number + sequence number + frame length: every event in log order.</summary>
    public const byte AllPrefix = (byte)'a';

    /// <summary><c>i</c> + id number → the id's name and state.</summary>
    public const byte IdPrefix = (byte)'i';

    /// <summary><c>g</c> + tag number → the tag's name.</summary>
    public const byte TagPrefix = (byte)'g';

    /// <summary>The checkpoint record: what the index covers and how to tell it belongs to the log beside it.</summary>
    public static readonly byte[] Checkpoint = [(byte)'m'];

    public static byte[] Event(int id, long sequenceNr) => NumberAndPosition(EventPrefix, id, sequenceNr);

    public static byte[] Tagged(int tag, long lsn) => NumberAndPosition(TaggedPrefix, tag, lsn);

    public static byte[] All(long lsn)
    {
        var key = new byte[9];
        WriteAll(key, lsn);
        return key;
    }

    /// <summary>Writes an <see cref="All"/> key into the first 9 bytes of <paramref name="key"/>.</summary>
    public static void WriteAll(Span<byte> key, long lsn)
    {
        key[0] = AllPrefix;
        BinaryPrimitives.WriteInt64BigEndian(key[1..], lsn);
    }

    /// <summary>Writes an <see cref="Event"/> or <see cref="Tagged"/> key into the first 13 bytes of <paramref name="key"/>.</summary>
    public static void WriteNumberAndPosition(Span<byte> key, byte prefix, int number, long position)
    {
        key[0] = prefix;
        BinaryPrimitives.WriteInt32BigEndian(key[1..], number);
        BinaryPrimitives.WriteInt64BigEndian(key[5..], position);
    }

    public static byte[] Id(int id) => Numbered(IdPrefix, id);

    public static byte[] Tag(int tag) => Numbered(TagPrefix, tag);

    /// <summary>The key just past every key of <paramref name="prefix"/>: the upper bound of a scan over them.</summary>
    public static byte[] PrefixEnd(byte prefix) => [(byte)(prefix + 1)];

    /// <summary>An event key's sequence number, or the LSN of a tagged key.</summary>
    public static long LastNumber(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[^8..]);

    /// <summary>The id or tag number of an event, tagged, id or tag key.</summary>
    public static int Number(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt32BigEndian(key[1..]);

    /// <summary>Writes the value of <see cref="Tagged"/> and <see cref="All"/> keys (id number, sequence number, frame length) into the first 16 bytes of <paramref name="value"/>.</summary>
    public static void WriteEventRef(Span<byte> value, int id, long sequenceNr, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(value, id);
        BinaryPrimitives.WriteInt64BigEndian(value[4..], sequenceNr);
        BinaryPrimitives.WriteInt32BigEndian(value[12..], length);
    }

    /// <exception cref="InvalidDataException">The value is not an event reference.</exception>
    public static (int Id, long SequenceNr, int Length) ReadEventRef(ReadOnlySpan<byte> value) =>
        value.Length == 16
            ? (BinaryPrimitives.ReadInt32BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value[4..]), BinaryPrimitives.ReadInt32BigEndian(value[12..]))
            : throw new InvalidDataException($"an event reference of {value.Length} bytes");

    /// <summary>Writes the value of an <see cref="Event"/> key (LSN, frame length) into the first 12 bytes of <paramref name="value"/>.</summary>
    public static void WritePosition(Span<byte> value, long lsn, int length)
    {
        BinaryPrimitives.WriteInt64BigEndian(value, lsn);
        BinaryPrimitives.WriteInt32BigEndian(value[8..], length);
    }

    /// <exception cref="InvalidDataException">The value is not an event's position.</exception>
    public static (long Lsn, int Length) ReadPosition(ReadOnlySpan<byte> value) =>
        value.Length == 12
            ? (BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt32BigEndian(value[8..]))
            : throw new InvalidDataException($"an event position of {value.Length} bytes");

    private static byte[] NumberAndPosition(byte prefix, int number, long position)
    {
        var key = new byte[13];
        WriteNumberAndPosition(key, prefix, number, position);
        return key;
    }

    private static byte[] Numbered(byte prefix, int number)
    {
        var key = new byte[5];
        key[0] = prefix;
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(1), number);
        return key;
    }
}
