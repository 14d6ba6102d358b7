using Cllama.Http;
using static Cllama.Tests.Http.ParserRun;

namespace Cllama.Tests.Http;

/// <summary>Each limit exactly at its boundary is accepted; one byte (or field) past it is refused.</summary>
public class Http1ParserLimitTests
{
    /// <summary>A request line of <paramref name="length"/> bytes, CRLF included.</summary>
    internal static string RequestLine(int length) => "GET /" + new string('a', length - 16) + " HTTP/1.1\r\n";

    /// <summary>A header block (CRLFs and the closing blank line included) of exactly <paramref name="length"/> bytes.</summary>
    internal static string HeaderBlock(int length) => "Host: a\r\nX-Fill: " + new string('f', length - 21) + "\r\n\r\n";

    internal static string Headers(int count) => "Host: a\r\n" + string.Concat(Enumerable.Range(1, count - 1).Select(i => $"X-{i}: v\r\n")) + "\r\n";

    [Fact]
    public void Request_line_of_8_KiB_is_accepted()
    {
        var line = RequestLine(8 * 1024);
        Assert.Equal(8192, line.Length);
        Assert.Equal(8192 - 16 + 1, Parse(line + "Host: a\r\n\r\n").Path.Length);
    }

    [Fact]
    public void Request_line_one_byte_longer_is_414()
    {
        var e = Reject(RequestLine(8 * 1024 + 1) + "Host: a\r\n\r\n");
        Assert.Equal(HttpRejection.RequestLineTooLong, e.Reason);
        Assert.Equal(414, e.Status);
    }

    [Fact]
    public void Request_line_is_refused_as_soon_as_it_passes_the_limit_without_waiting_for_its_end()
    {
        var partial = RequestLine(8 * 1024 + 1)[..8192];
        Assert.Equal(HttpRejection.RequestLineTooLong, Reject(partial).Reason);
        Assert.False(TryParse(Segments.One(Segments.Bytes(partial[..8191])), Defaults, out _, out _));
    }

    [Fact]
    public void Header_block_of_64_KiB_is_accepted()
    {
        var block = HeaderBlock(64 * 1024);
        Assert.Equal(65536, block.Length);
        Assert.Equal(65536 - 21, Parse("GET / HTTP/1.1\r\n" + block).Headers.Get("x-fill")!.Length);
    }

    [Fact]
    public void Header_block_one_byte_larger_is_431()
    {
        var e = Reject("GET / HTTP/1.1\r\n" + HeaderBlock(64 * 1024 + 1));
        Assert.Equal(HttpRejection.HeadersTooLarge, e.Reason);
        Assert.Equal(431, e.Status);
    }

    [Fact]
    public void Header_block_is_refused_as_soon_as_it_passes_the_limit_without_waiting_for_its_end()
    {
        var head = "GET / HTTP/1.1\r\n" + HeaderBlock(64 * 1024 + 1);
        var upToLimit = head[..(16 + 65536)];
        Assert.Equal(HttpRejection.HeadersTooLarge, Reject(upToLimit).Reason);
        Assert.False(TryParse(Segments.One(Segments.Bytes(upToLimit[..^1])), Defaults, out _, out _));
    }

    [Fact]
    public void One_hundred_header_fields_are_accepted()
    {
        Assert.Equal(100, Parse("GET / HTTP/1.1\r\n" + Headers(100)).Headers.Count);
    }

    [Fact]
    public void One_hundred_and_one_header_fields_are_431()
    {
        var e = Reject("GET / HTTP/1.1\r\n" + Headers(101));
        Assert.Equal(HttpRejection.TooManyHeaders, e.Reason);
        Assert.Equal(431, e.Status);
    }

    [Fact]
    public void Content_length_at_the_body_limit_is_accepted_and_one_past_is_413_from_the_headers_alone()
    {
        var limits = new HttpLimits { MaxBodyBytes = 1000 };
        Assert.Equal(1000, Parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n", limits).ContentLength);
        var e = Reject("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", limits);
        Assert.Equal(HttpRejection.BodyTooLarge, e.Reason);
        Assert.Equal(413, e.Status);
    }

    [Fact]
    public void Limits_are_read_from_the_record_not_hard_coded()
    {
        var limits = new HttpLimits { MaxRequestLineBytes = 100, MaxHeaderBytes = 200, MaxHeaderCount = 3 };
        Parse(RequestLine(100) + "Host: a\r\n\r\n", limits);
        Assert.Equal(HttpRejection.RequestLineTooLong, Reject(RequestLine(101) + "Host: a\r\n\r\n", limits).Reason);
        Parse("GET / HTTP/1.1\r\n" + HeaderBlock(200), limits);
        Assert.Equal(HttpRejection.HeadersTooLarge, Reject("GET / HTTP/1.1\r\n" + HeaderBlock(201), limits).Reason);
        Parse("GET / HTTP/1.1\r\n" + Headers(3), limits);
        Assert.Equal(HttpRejection.TooManyHeaders, Reject("GET / HTTP/1.1\r\n" + Headers(4), limits).Reason);
    }
}
