using Cllama.Http;
using static Cllama.Tests.Http.ParserRun;

namespace Cllama.Tests.Http;

/// <summary>Each malformed head of CONTRACT §4a, with the reason and status it must be refused with.</summary>
public class Http1ParserRejectionTests
{
    const string H = "Host: a\r\n";

    [Theory]
    // Malformed request line
    [InlineData("GET\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET /\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData(" GET / HTTP/1.1\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET  / HTTP/1.1\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET / HTTP/1.1 \r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET /a b HTTP/1.1\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET / http/1.1\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET / HTTP/11\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("GET / HTTP/1.1x\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("\r\nGET / HTTP/1.1\r\n" + H + "\r\n", HttpRejection.MalformedRequestLine, 400)]
    [InlineData("G(T / HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidMethod, 400)]
    [InlineData("G\0T / HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidMethod, 400)]
    [InlineData("GET /a\0b HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidTarget, 400)]
    [InlineData("GET /a\rb HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidTarget, 400)]
    [InlineData("GET /a\u007fb HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidTarget, 400)]
    [InlineData("GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidTarget, 400)]
    [InlineData("GET a/b HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidTarget, 400)]
    [InlineData("GET *x HTTP/1.1\r\n" + H + "\r\n", HttpRejection.InvalidTarget, 400)]
    // Unknown versions
    [InlineData("GET / HTTP/2.0\r\n" + H + "\r\n", HttpRejection.UnsupportedVersion, 505)]
    [InlineData("GET / HTTP/1.2\r\n" + H + "\r\n", HttpRejection.UnsupportedVersion, 505)]
    [InlineData("GET / HTTP/0.9\r\n" + H + "\r\n", HttpRejection.UnsupportedVersion, 505)]
    // Host
    [InlineData("GET / HTTP/1.1\r\n\r\n", HttpRejection.MissingHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nX: y\r\n\r\n", HttpRejection.MissingHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", HttpRejection.DuplicateHost, 400)]
    // Bad header names, space before the colon
    [InlineData("GET / HTTP/1.1\r\n" + H + "Host : a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X Y: a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + ": a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "no-colon\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X\0: a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X\rY: a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X(: a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "N\u00e4me: a\r\n\r\n", HttpRejection.InvalidHeaderName, 400)]
    // Obsolete line folding
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\r\n b\r\n\r\n", HttpRejection.ObsoleteLineFolding, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\r\n\tb\r\n\r\n", HttpRejection.ObsoleteLineFolding, 400)]
    [InlineData("GET / HTTP/1.1\r\n " + H + "\r\n", HttpRejection.ObsoleteLineFolding, 400)]
    // Control characters in values, NUL and bare CR included
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\0b\r\n\r\n", HttpRejection.ControlCharacter, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\rb\r\n\r\n", HttpRejection.ControlCharacter, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\r\r\n\r\n", HttpRejection.ControlCharacter, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\u0001\r\n\r\n", HttpRejection.ControlCharacter, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X: a\u007f\r\n\r\n", HttpRejection.ControlCharacter, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\u001bb\r\n\r\n", HttpRejection.ControlCharacter, 400)]
    // Bare LF line endings
    [InlineData("GET / HTTP/1.1\n" + H + "\r\n", HttpRejection.InvalidLineEnding, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n", HttpRejection.InvalidLineEnding, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "\n", HttpRejection.InvalidLineEnding, 400)]
    [InlineData("GET / HTTP/1.1\nHost: a\n\n", HttpRejection.InvalidLineEnding, 400)]
    // Framing: smuggling-prone combinations, bad and conflicting lengths, unknown codings
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", HttpRejection.ContentLengthWithTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n", HttpRejection.ContentLengthWithTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", HttpRejection.ConflictingContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\n", HttpRejection.ConflictingContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: abc\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 0x10\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 1 2\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5,\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 1234567890123456789\r\n\r\n", HttpRejection.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", HttpRejection.UnsupportedTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n", HttpRejection.UnsupportedTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", HttpRejection.UnsupportedTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\n", HttpRejection.UnsupportedTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", HttpRejection.BadChunk, 400)]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", HttpRejection.TransferEncodingInHttp10, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Expect: 200-ok\r\n\r\n", HttpRejection.UnsupportedExpectation, 417)]
    public void Malformed_heads_are_refused_with_their_reason(string raw, HttpRejection reason, int status)
    {
        var e = Reject(raw);
        Assert.Equal(reason, e.Reason);
        Assert.Equal(status, e.Status);
        var perByte = Assert.Throws<HttpRejectException>(() => TryParse(Segments.PerByte(Segments.Bytes(raw)), Defaults, out _, out _));
        Assert.Equal(reason, perByte.Reason);
    }

    [Fact]
    public void Every_rejection_has_a_message_without_quotes_or_backslashes()
    {
        foreach (var r in Enum.GetValues<HttpRejection>())
        {
            var message = HttpRejections.Message(r);
            Assert.NotEqual("bad request", message);
            Assert.DoesNotContain('"', message);
            Assert.DoesNotContain('\\', message);
        }
    }
}
