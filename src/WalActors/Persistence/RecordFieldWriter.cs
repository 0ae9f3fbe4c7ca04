using System.Buffers.Binary;
using System.Text;

namespace WalActors.Persistence;

/// <summary>Writes the fields of a journal record into a buffer sized beforehand with the <c>SizeOf</c> helpers.</summary>
internal ref struct RecordFieldWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public RecordFieldWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public static int SizeOfVarUInt(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static int SizeOfZigZag(int value) => SizeOfVarUInt(ZigZag(value));

    public static int SizeOfString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return SizeOfVarUInt((ulong)length) + length;
    }

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteVarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _destination[_position++] = (byte)value;
    }

    public void WriteZigZag(int value) => WriteVarUInt(ZigZag(value));

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[_position..], value);
        _position += 8;
    }

    public void WriteString(string value)
    {
        WriteVarUInt((ulong)Encoding.UTF8.GetByteCount(value));
        _position += Encoding.UTF8.GetBytes(value, _destination[_position..]);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));
}
