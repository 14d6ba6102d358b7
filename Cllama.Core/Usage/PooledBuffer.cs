using System.Buffers;

namespace Cllama.Usage;

/// <summary>
/// A growable byte buffer rented from the shared pool that never grows past <c>limit</c>: an append that would
/// cross it is dropped and the buffer marked <see cref="Overflowed"/>, so hostile input cannot make it grow.
/// </summary>
internal sealed class PooledBuffer(int limit)
{
    const int InitialSize = 4096;
    byte[] _array = [];

    public int Length { get; private set; }
    public bool Overflowed { get; private set; }
    public int Limit => limit;
    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Overflowed)
            return;
        if (data.Length > limit - Length)
        {
            Overflowed = true;
            return;
        }
        EnsureCapacity(Length + data.Length);
        data.CopyTo(_array.AsSpan(Length));
        Length += data.Length;
    }

    public void Append(byte b) => Append(new ReadOnlySpan<byte>(in b));

    /// <summary>Takes back the last <paramref name="count"/> bytes appended.</summary>
    public void Truncate(int count)
    {
        if (!Overflowed)
            Length -= count;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes, keeping the rest at the front.</summary>
    public void Consume(int count)
    {
        _array.AsSpan(count, Length - count).CopyTo(_array);
        Length -= count;
    }

    public void Clear()
    {
        Length = 0;
        Overflowed = false;
    }

    /// <summary>Returns the array to the pool; the buffer can still be used and rents again on demand.</summary>
    public void Release()
    {
        if (_array.Length > 0)
            ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        Clear();
    }

    void EnsureCapacity(int needed)
    {
        if (needed <= _array.Length)
            return;
        int size = Math.Min(limit, Math.Max(needed, Math.Max(InitialSize, _array.Length * 2)));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, Length).CopyTo(bigger);
        if (_array.Length > 0)
            ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
