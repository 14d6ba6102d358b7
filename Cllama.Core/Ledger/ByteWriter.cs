using System.Buffers.Binary;
using System.Text;

namespace Cllama.Ledger;

/// <summary>
/// A growable byte buffer for the ledger's binary formats: little-endian integers, LEB128 varints (zig-zag for values
/// that might be negative), length-prefixed UTF-8 strings and compact decimals. The writer thread reuses one.
/// </summary>
sealed class ByteWriter(int capacity = 4096)
{
    byte[] _buffer = new byte[capacity];

    public int Length { get; private set; }
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Reserves <paramref name="size"/> bytes to fill in later (a frame's length and CRC); returns their offset.</summary>
    public int Reserve(int size)
    {
        Ensure(size);
        int at = Length;
        Length += size;
        return at;
    }

    public Span<byte> Slice(int offset, int length) => _buffer.AsSpan(offset, length);

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(Length), value);
        Length += 8;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    public void WriteSigned(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    public void WriteString(string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)n);
        Ensure(n);
        Length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
    }

    /// <summary>Sign and scale in one byte, then the 96-bit integer as two varints: 0.0015 takes 3 bytes.</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        byte scale = (byte)((bits[3] >> 16) & 0xFF);
        bool negative = bits[3] < 0;
        WriteByte((byte)(scale | (negative ? 0x80 : 0)));
        WriteVarint((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
        WriteVarint((uint)bits[2]);
    }

    void Ensure(int more)
    {
        if (Length + more <= _buffer.Length)
            return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
    }
}
