using System.Buffers.Binary;
using System.Text;

namespace WalActors.Persistence;

/// <summary>Reads the fields of a journal record in order; a record that ends early or holds a bad length is <see cref="InvalidDataException"/>.</summary>
internal ref struct RecordFieldReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public RecordFieldReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _position = 0;
    }

    public readonly int Position => _position;

    public byte ReadByte()
    {
        Require(1);
        return _bytes[_position++];
    }

    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A variable-length integer runs past 64 bits.");
    }

    public long ReadVarLong()
    {
        var value = ReadVarUInt();
        return value <= long.MaxValue ? (long)value : throw new InvalidDataException("A sequence number is out of range.");
    }

    public int ReadZigZagInt()
    {
        var value = ReadVarUInt();
        return value <= uint.MaxValue ? (int)((uint)value >> 1) ^ -(int)((uint)value & 1) : throw new InvalidDataException("An identifier is out of range.");
    }

    public long ReadInt64()
    {
        Require(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_bytes[_position..]);
        _position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadUtf8()
    {
        var length = ReadVarUInt();
        if (length > (ulong)(_bytes.Length - _position))
        {
            throw new InvalidDataException("A string runs past the end of the record.");
        }

        var span = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadUtf8());

    private readonly void Require(int count)
    {
        if (_bytes.Length - _position < count)
        {
            throw new InvalidDataException("The record ends before its fields do.");
        }
    }
}
