using System.Runtime.InteropServices;

namespace Cllama.Ledger;

/// <summary>
/// Totals keyed by a time unit (minute, hour, day or month index), kept sorted by key. Entries arrive in nearly
/// time order, so the common case touches the last bucket or appends; a late entry is a binary search and an insert.
/// </summary>
sealed class TimeBuckets
{
    public struct Bucket
    {
        public long Key;
        public Totals Totals;
    }

    readonly List<Bucket> _items = [];

    public ReadOnlySpan<Bucket> Items => CollectionsMarshal.AsSpan(_items);

    /// <summary>The bucket for <paramref name="key"/>, created empty if missing.</summary>
    public ref Totals At(long key)
    {
        var span = CollectionsMarshal.AsSpan(_items);
        if (span.Length > 0 && span[^1].Key == key)
            return ref span[^1].Totals;
        int i = span.Length == 0 || span[^1].Key < key ? span.Length : LowerBound(key);
        if (i == span.Length || span[i].Key != key)
            _items.Insert(i, new Bucket { Key = key });
        return ref CollectionsMarshal.AsSpan(_items)[i].Totals;
    }

    public void EnsureCapacity(int capacity) => _items.EnsureCapacity(capacity);

    /// <summary>Appends a bucket read from a snapshot, where keys are already ascending.</summary>
    public void Append(long key, in Totals totals)
    {
        if (_items.Count > 0 && _items[^1].Key >= key)
            throw new FormatException("bucket keys are not ascending");
        _items.Add(new Bucket { Key = key, Totals = totals });
    }

    public Totals Get(long key)
    {
        int i = LowerBound(key);
        return i < _items.Count && _items[i].Key == key ? _items[i].Totals : default;
    }

    /// <summary>Adds every bucket with <paramref name="from"/> ≤ key &lt; <paramref name="to"/> into <paramref name="sum"/>.</summary>
    public void SumRange(long from, long to, ref Totals sum)
    {
        var span = Items;
        for (int i = LowerBound(from); i < span.Length && span[i].Key < to; i++)
            sum.Add(span[i].Totals);
    }

    /// <summary>The first key in [<paramref name="from"/>, <paramref name="to"/>) whose cost is above zero.</summary>
    public long? FirstWithSpend(long from, long to)
    {
        var span = Items;
        for (int i = LowerBound(from); i < span.Length && span[i].Key < to; i++)
        {
            if (span[i].Totals.CostUsd > 0)
                return span[i].Key;
        }
        return null;
    }

    public void RemoveBefore(long key)
    {
        int i = LowerBound(key);
        if (i > 0)
            _items.RemoveRange(0, i);
    }

    int LowerBound(long key)
    {
        var span = Items;
        int lo = 0, hi = span.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (span[mid].Key < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
