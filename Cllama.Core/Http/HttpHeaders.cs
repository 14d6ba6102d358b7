namespace Cllama.Http;

/// <summary>
/// An ordered header list with case-insensitive lookup. Small (tens of fields), so a linear scan beats hashing;
/// names of well-known headers are interned by <see cref="KnownHeaders"/> so lookups compare references first.
/// </summary>
public sealed class HttpHeaders
{
    readonly List<KeyValuePair<string, string>> _items = new(16);

    public int Count => _items.Count;
    public KeyValuePair<string, string> this[int index] => _items[index];

    public void Add(string name, string value) => _items.Add(new(name, value));
    public void Clear() => _items.Clear();

    public string? Get(string name)
    {
        foreach (var kv in _items)
            if (ReferenceEquals(kv.Key, name) || string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
                return kv.Value;
        return null;
    }

    public int CountOf(string name)
    {
        int n = 0;
        foreach (var kv in _items)
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
                n++;
        return n;
    }

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _items.GetEnumerator();
}
