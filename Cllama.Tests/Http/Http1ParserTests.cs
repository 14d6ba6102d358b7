using System.Text;
using Cllama.Http;
using static Cllama.Tests.Http.ParserRun;

namespace Cllama.Tests.Http;

public class Http1ParserTests
{
    static readonly string ManyHeaders = "POST /v1/messages HTTP/1.1\r\nHost: example.test\r\n" +
        string.Concat(Enumerable.Range(0, 60).Select(i => $"X-Header-{i}: value {i}\t with tab and obs-text \u00e9\r\n")) +
        "Empty:\r\nContent-Length: 0\r\n\r\n";

    public static TheoryData<string> ValidRequests =>
    [
        "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "POST /v1/chat/completions?stream=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"model\":\"x\"}",
        "POST /v1/messages HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET http://example.test/a/b?q=1 HTTP/1.1\r\nHost: example.test\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        ManyHeaders,
    ];

    static int HeadLength(byte[] raw) => raw.AsSpan().IndexOf("\r\n\r\n"u8) + 4;

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void Every_prefix_is_incomplete_and_never_throws(string raw)
    {
        var bytes = Segments.Bytes(raw);
        for (int length = 0; length < HeadLength(bytes); length++)
            Assert.False(TryParse(Segments.One(bytes[..length]), Defaults, out _, out _), $"prefix of {length} bytes");
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void Whole_head_is_consumed_and_the_body_left_alone(string raw)
    {
        var bytes = Segments.Bytes(raw);
        Assert.True(TryParse(Segments.One(bytes), Defaults, out _, out long consumed));
        Assert.Equal(HeadLength(bytes), consumed);
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void One_byte_per_segment_and_every_two_segment_split_parse_as_one_segment(string raw)
    {
        var bytes = Segments.Bytes(raw);
        Assert.True(TryParse(Segments.One(bytes), Defaults, out var expected, out long expectedConsumed));
        Assert.True(TryParse(Segments.PerByte(bytes), Defaults, out var perByte, out long perByteConsumed));
        Assert.Equal(Describe(expected), Describe(perByte));
        Assert.Equal(expectedConsumed, perByteConsumed);
        for (int at = 0; at <= bytes.Length; at++)
        {
            Assert.True(TryParse(Segments.SplitAt(bytes, at), Defaults, out var split, out long consumed), $"split at {at}");
            Assert.Equal(Describe(expected), Describe(split));
            Assert.Equal(expectedConsumed, consumed);
        }
    }

    [Fact]
    public void Request_line_and_headers_are_read()
    {
        var h = Parse("POST /v1/chat/completions?stream=1&x=%20 HTTP/1.1\r\nHOST:  example.test \r\nX-Custom:\tv1 \r\nContent-Length: 42\r\n\r\n");
        Assert.Equal("POST", h.Method);
        Assert.Equal("/v1/chat/completions", h.Path);
        Assert.Equal("?stream=1&x=%20", h.Query);
        Assert.Equal(HttpVersion.Http11, h.Version);
        Assert.Same(KnownHeaders.Host, h.Headers[0].Key);
        Assert.Equal("example.test", h.Headers.Get("Host"));
        Assert.Equal("x-custom", h.Headers[1].Key);
        Assert.Equal("v1", h.Headers.Get("x-custom"));
        Assert.Equal(BodyFraming.ContentLength, h.Framing);
        Assert.Equal(42, h.ContentLength);
        Assert.True(h.KeepAlive);
    }

    [Fact]
    public void Header_values_keep_obs_text_as_latin1()
    {
        var raw = Encoding.Latin1.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\r\n\r\n");
        Assert.True(TryParse(Segments.One(raw), Defaults, out var h, out _));
        Assert.Equal("caf\u00e9", h.Headers.Get("x-name"));
    }

    [Theory]
    [InlineData("GET http://example.test/a/b?q=1 HTTP/1.1", "/a/b", "?q=1")]
    [InlineData("GET http://example.test HTTP/1.1", "/", "")]
    [InlineData("GET http://example.test?q HTTP/1.1", "/", "?q")]
    [InlineData("OPTIONS * HTTP/1.1", "*", "")]
    [InlineData("GET /a?b?c HTTP/1.1", "/a", "?b?c")]
    public void Target_forms(string requestLine, string path, string query)
    {
        var h = Parse(requestLine + "\r\nHost: a\r\n\r\n");
        Assert.Equal(path, h.Path);
        Assert.Equal(query, h.Query);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    public void Keep_alive_follows_version_and_connection(string raw, bool keepAlive) =>
        Assert.Equal(keepAlive, Parse(raw).KeepAlive);

    [Theory]
    [InlineData("Content-Length: 0", BodyFraming.None, 0)]
    [InlineData("Content-Length: 00017", BodyFraming.ContentLength, 17)]
    [InlineData("Content-Length: 5\r\nContent-Length: 5", BodyFraming.ContentLength, 5)]
    [InlineData("Content-Length: 5, 5", BodyFraming.ContentLength, 5)]
    [InlineData("Transfer-Encoding: chunked", BodyFraming.Chunked, 0)]
    [InlineData("Transfer-Encoding: CHUNKED", BodyFraming.Chunked, 0)]
    public void Body_framing(string header, BodyFraming framing, long length)
    {
        var h = Parse($"POST / HTTP/1.1\r\nHost: a\r\n{header}\r\n\r\n");
        Assert.Equal(framing, h.Framing);
        Assert.Equal(length, h.ContentLength);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", true)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n", false)]
    [InlineData("POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", false)]
    public void Expect_continue_only_when_a_body_will_follow_on_http11(string raw, bool expect) =>
        Assert.Equal(expect, Parse(raw).ExpectContinue);

    [Fact]
    public void Head_object_is_reset_between_parses()
    {
        var head = new HttpRequestHead();
        foreach (var raw in new[] { "POST /a?x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", "GET /b HTTP/1.1\r\nHost: b\r\n\r\n" })
        {
            var reader = new System.Buffers.SequenceReader<byte>(Segments.One(Segments.Bytes(raw)));
            Assert.True(Http1Parser.TryParseHead(ref reader, Defaults, head));
        }
        Assert.Equal(Describe(Parse("GET /b HTTP/1.1\r\nHost: b\r\n\r\n")), Describe(head));
    }
}
