using System.Buffers;
using Cllama.Http;

namespace Cllama.Tests.Http;

/// <summary>Runs <see cref="Http1Parser"/> the way the connection does, and renders a parse as one comparable string.</summary>
static class ParserRun
{
    public static readonly HttpLimits Defaults = new();

    public static bool TryParse(ReadOnlySequence<byte> input, HttpLimits limits, out HttpRequestHead head, out long consumed)
    {
        var reader = new SequenceReader<byte>(input);
        head = new HttpRequestHead();
        bool done = Http1Parser.TryParseHead(ref reader, limits, head);
        consumed = reader.Consumed;
        return done;
    }

    public static HttpRequestHead Parse(string raw, HttpLimits? limits = null)
    {
        Assert.True(TryParse(Segments.One(Segments.Bytes(raw)), limits ?? Defaults, out var head, out _), "expected a complete head");
        return head;
    }

    public static HttpRejectException Reject(byte[] raw, HttpLimits? limits = null) =>
        Assert.Throws<HttpRejectException>(() => TryParse(Segments.One(raw), limits ?? Defaults, out _, out _));

    public static HttpRejectException Reject(string raw, HttpLimits? limits = null) => Reject(Segments.Bytes(raw), limits);

    public static string Describe(HttpRequestHead h) =>
        $"{h.Method} {h.Path} {h.Query} {h.Version} framing={h.Framing} length={h.ContentLength} keepAlive={h.KeepAlive} " +
        $"continue={h.ExpectContinue} | " + string.Join(" | ", Enumerable.Range(0, h.Headers.Count).Select(i => $"{h.Headers[i].Key}={h.Headers[i].Value}"));
}
