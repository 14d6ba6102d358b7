using System.Text;

namespace Cllama.Ledger;

/// <summary>
/// Hands out one string instance per distinct UTF-8 name while a log is replayed: a million entries name the same
/// few agents, providers and models, and decoding each afresh would allocate them a million times.
/// </summary>
sealed class StringPool
{
    readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    char[] _chars = new char[256]; // reused: a stackalloc would be zeroed on every call

    public StringPool() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length)
            _chars = new char[utf8.Length];
        var chars = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
        if (_bySpan.TryGetValue(chars, out var existing))
            return existing;
        string s = new(chars);
        _strings[s] = s;
        return s;
    }
}
