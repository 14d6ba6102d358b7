using System.Buffers.Binary;
using System.Text;

namespace Cllama.Ledger;

/// <summary>
/// Reads what <see cref="ByteWriter"/> wrote. Input is CRC-checked before it gets here, so a short or malformed
/// field means a format we do not understand: <see cref="FormatException"/>.
/// </summary>
ref struct ByteReader(ReadOnlySpan<byte> data)
{
    readonly ReadOnlySpan<byte> _data = data;
    int _pos;

    public readonly bool End => _pos == _data.Length;

    public byte ReadByte() => _pos < _data.Length ? _data[_pos++] : throw Truncated();

    public long ReadInt64()
    {
        if (_data.Length - _pos < 8)
            throw Truncated();
        long value = BinaryPrimitives.ReadInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return value;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new FormatException("varint longer than 10 bytes");
    }

    public long ReadSigned()
    {
        ulong raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int ReadLength()
    {
        ulong n = ReadVarint();
        if (n > (ulong)(_data.Length - _pos))
            throw Truncated();
        return (int)n;
    }

    public ReadOnlySpan<byte> ReadUtf8()
    {
        int n = ReadLength();
        var bytes = _data.Slice(_pos, n);
        _pos += n;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadUtf8());

    public decimal ReadDecimal()
    {
        byte head = ReadByte();
        ulong low = ReadVarint();
        ulong high = ReadVarint();
        byte scale = (byte)(head & 0x7F);
        if (scale > 28 || high > uint.MaxValue)
            throw new FormatException("decimal out of range");
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (head & 0x80) != 0, scale);
    }

    static FormatException Truncated() => new("field runs past the end of its frame");
}
