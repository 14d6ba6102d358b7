namespace Cllama.Usage;

/// <summary>
/// Copies JSON text while replacing every string longer than <see cref="MaxKept"/> bytes with <c>""</c>.
/// Usage is made of short property names and numbers; what makes a response big is string content (text, base64
/// images, a <c>response.completed</c> event that repeats the whole output). Collapsing those strings as the bytes
/// arrive keeps the buffers the tap parses small, so usage after megabytes of content is still found.
/// State carries across calls, so a string may be split anywhere, escapes included.
/// </summary>
internal struct JsonStringCollapser
{
    /// <summary>Longer than any property name the tap matches; longer strings are never needed.</summary>
    public const int MaxKept = 64;

    bool _inString;
    bool _escape;
    bool _dropping;
    int _kept;

    public void Reset() => this = default;

    /// <summary>Appends <paramref name="src"/> to <paramref name="dst"/>, never writing more bytes than it reads.</summary>
    public void Append(ReadOnlySpan<byte> src, PooledBuffer dst)
    {
        while (!src.IsEmpty)
        {
            if (!_inString)
            {
                int quote = src.IndexOf((byte)'"');
                if (quote < 0)
                {
                    dst.Append(src);
                    return;
                }
                dst.Append(src[..(quote + 1)]);
                src = src[(quote + 1)..];
                _inString = true;
                _escape = _dropping = false;
                _kept = 0;
                continue;
            }
            int end = FindStringEnd(src);
            var content = end < 0 ? src : src[..end];
            if (!_dropping)
            {
                if (_kept + content.Length <= MaxKept)
                {
                    dst.Append(content);
                    _kept += content.Length;
                }
                else
                {
                    // The opening quote and what was kept are still in dst: a partial string is never consumed.
                    dst.Truncate(_kept);
                    _dropping = true;
                }
            }
            if (end < 0)
                return;
            dst.Append((byte)'"');
            _inString = false;
            src = src[(end + 1)..];
        }
    }

    /// <summary>Index of the closing quote of the current string in <paramref name="src"/>, or -1.</summary>
    int FindStringEnd(ReadOnlySpan<byte> src)
    {
        int i = 0;
        while (i < src.Length)
        {
            if (_escape)
            {
                _escape = false;
                i++;
                continue;
            }
            int j = src[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (j < 0)
                return -1;
            i += j;
            if (src[i] == '"')
                return i;
            _escape = true;
            i++;
        }
        return -1;
    }
}
