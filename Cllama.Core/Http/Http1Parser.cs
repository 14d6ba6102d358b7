using System.Buffers;
using System.Text;

namespace Cllama.Http;

/// <summary>
/// Pure HTTP/1.1 request-head parser over <see cref="SequenceReader{T}"/>. It returns false when the head is not
/// complete yet (the caller then consumes nothing and waits for more bytes), throws <see cref="HttpRejectException"/>
/// for malformed input, and never looks further into the buffer than the limits allow.
/// </summary>
public static class Http1Parser
{
    public static bool TryParseHead(ref SequenceReader<byte> reader, HttpLimits limits, HttpRequestHead head)
    {
        head.Reset();
        if (!TryReadLine(ref reader, limits.MaxRequestLineBytes, HttpRejection.RequestLineTooLong, out var requestLine))
            return false;
        // Two passes: the first only finds the end of the head within the limits, so partial input never rejects early
        // for its content; the second interprets it. Re-scanning lines is cheaper than storing them.
        var headers = reader;
        long headerStart = reader.Consumed;
        int count = 0;
        while (true)
        {
            int budget = limits.MaxHeaderBytes - (int)(reader.Consumed - headerStart);
            if (!TryReadLine(ref reader, budget, HttpRejection.HeadersTooLarge, out var line))
                return false;
            if (line.IsEmpty)
                break;
            if (++count > limits.MaxHeaderCount)
                HttpRejections.Throw(HttpRejection.TooManyHeaders);
        }
        ParseRequestLine(Flatten(requestLine), head);
        for (int i = 0; i < count; i++)
        {
            TryReadLine(ref headers, int.MaxValue, HttpRejection.HeadersTooLarge, out var line);
            ParseHeaderLine(Flatten(line), head);
        }
        HeadValidator.Finish(head, limits);
        return true;
    }

    /// <summary>
    /// Reads one CRLF-terminated line of at most <paramref name="limit"/> bytes (CRLF included), searching only that
    /// window of the buffer. Returns the line without its CRLF.
    /// </summary>
    internal static bool TryReadLine(ref SequenceReader<byte> reader, int limit, HttpRejection tooLong, out ReadOnlySequence<byte> line,
        HttpRejection badEnding = HttpRejection.InvalidLineEnding)
    {
        line = default;
        var window = reader.UnreadSequence;
        if (window.Length > limit)
            window = window.Slice(0, limit);
        var lf = window.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (reader.Remaining >= limit)
                HttpRejections.Throw(tooLong);
            return false;
        }
        var withCr = window.Slice(0, lf.Value);
        if (withCr.IsEmpty || LastByte(withCr) != (byte)'\r')
            HttpRejections.Throw(badEnding);
        line = withCr.Slice(0, withCr.Length - 1);
        reader.Advance(withCr.Length + 1);
        return true;
    }

    static byte LastByte(ReadOnlySequence<byte> seq) => seq.Slice(seq.Length - 1).FirstSpan[0];

    internal static ReadOnlySpan<byte> Flatten(ReadOnlySequence<byte> seq) => seq.IsSingleSegment ? seq.FirstSpan : seq.ToArray();

    static void ParseRequestLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0)
            HttpRejections.Throw(HttpRejection.MalformedRequestLine);
        var method = line[..sp1];
        foreach (byte b in method)
            if (!HttpChars.IsTokenChar(b))
                HttpRejections.Throw(HttpRejection.InvalidMethod);
        var rest = line[(sp1 + 1)..];
        int sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0)
            HttpRejections.Throw(HttpRejection.MalformedRequestLine);
        var target = rest[..sp2];
        var version = rest[(sp2 + 1)..];

        head.Version = ParseVersion(version);
        head.Method = InternMethod(method);
        ParseTarget(target, head);
    }

    static HttpVersion ParseVersion(ReadOnlySpan<byte> v)
    {
        if (v.SequenceEqual("HTTP/1.1"u8))
            return HttpVersion.Http11;
        if (v.SequenceEqual("HTTP/1.0"u8))
            return HttpVersion.Http10;
        // Well-formed but another version (HTTP/2.0, HTTP/1.2, HTTP/3): 505. Anything else is a malformed line.
        if (v.Length == 8 && v.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)v[5]) && v[6] == '.' && char.IsAsciiDigit((char)v[7]))
            HttpRejections.Throw(HttpRejection.UnsupportedVersion);
        HttpRejections.Throw(HttpRejection.MalformedRequestLine);
        return default;
    }

    static string InternMethod(ReadOnlySpan<byte> m)
    {
        if (m.SequenceEqual("GET"u8)) return "GET";
        if (m.SequenceEqual("POST"u8)) return "POST";
        if (m.SequenceEqual("PUT"u8)) return "PUT";
        if (m.SequenceEqual("DELETE"u8)) return "DELETE";
        if (m.SequenceEqual("HEAD"u8)) return "HEAD";
        if (m.SequenceEqual("OPTIONS"u8)) return "OPTIONS";
        return Encoding.ASCII.GetString(m);
    }

    static void ParseTarget(ReadOnlySpan<byte> target, HttpRequestHead head)
    {
        foreach (byte b in target)
            if (b <= 0x20 || b >= 0x7F)
                HttpRejections.Throw(HttpRejection.InvalidTarget);
        if (target[0] == '*')
        {
            if (target.Length != 1)
                HttpRejections.Throw(HttpRejection.InvalidTarget);
            head.Path = "*";
            return;
        }
        if (target[0] != '/')
        {
            // absolute-form (RFC 9112 §3.2.2): keep only the path and query.
            int scheme = target.IndexOf("://"u8);
            if (scheme <= 0)
                HttpRejections.Throw(HttpRejection.InvalidTarget);
            var afterAuthority = target[(scheme + 3)..];
            int slash = afterAuthority.IndexOfAny((byte)'/', (byte)'?');
            target = slash < 0 ? "/"u8 : afterAuthority[slash..];
            if (target[0] == '?')
            {
                head.Path = "/";
                head.Query = Encoding.ASCII.GetString(target);
                return;
            }
        }
        int q = target.IndexOf((byte)'?');
        if (q < 0)
        {
            head.Path = target.SequenceEqual("/health"u8) ? "/health" : Encoding.ASCII.GetString(target);
            return;
        }
        head.Path = Encoding.ASCII.GetString(target[..q]);
        head.Query = Encoding.ASCII.GetString(target[q..]);
    }

    static void ParseHeaderLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
            HttpRejections.Throw(HttpRejection.ObsoleteLineFolding);
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
            HttpRejections.Throw(HttpRejection.InvalidHeaderName);
        var name = line[..colon];
        foreach (byte b in name)
            if (!HttpChars.IsTokenChar(b))
                HttpRejections.Throw(HttpRejection.InvalidHeaderName);
        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (byte b in value)
            if ((b < 0x20 && b != '\t') || b == 0x7F)
                HttpRejections.Throw(HttpRejection.ControlCharacter);
        head.Headers.Add(KnownHeaders.Intern(name), Encoding.Latin1.GetString(value));
    }
}
