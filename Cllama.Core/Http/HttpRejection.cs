using System.Diagnostics;

namespace Cllama.Http;

/// <summary>Why a request was refused before it reached a handler. Each maps to one status in <see cref="HttpRejections.Status"/>.</summary>
public enum HttpRejection
{
    MalformedRequestLine,
    InvalidMethod,
    InvalidTarget,
    RequestLineTooLong,
    UnsupportedVersion,
    InvalidLineEnding,
    InvalidHeaderName,
    ObsoleteLineFolding,
    ControlCharacter,
    HeadersTooLarge,
    TooManyHeaders,
    MissingHost,
    DuplicateHost,
    InvalidContentLength,
    ConflictingContentLength,
    ContentLengthWithTransferEncoding,
    TransferEncodingInHttp10,
    UnsupportedTransferCoding,
    UnsupportedExpectation,
    BodyTooLarge,
    BadChunk,
    UnexpectedEnd,
}

/// <summary>A refused request: carries the reason; the connection answers with its status and closes.</summary>
public sealed class HttpRejectException(HttpRejection reason) : Exception(HttpRejections.Message(reason))
{
    public HttpRejection Reason { get; } = reason;
    public int Status => HttpRejections.Status(Reason);
}

public static class HttpRejections
{
    public static int Status(HttpRejection r) => r switch
    {
        HttpRejection.RequestLineTooLong => 414,
        HttpRejection.HeadersTooLarge or HttpRejection.TooManyHeaders => 431,
        HttpRejection.BodyTooLarge => 413,
        HttpRejection.UnsupportedVersion => 505,
        HttpRejection.UnsupportedTransferCoding => 501,
        HttpRejection.UnsupportedExpectation => 417,
        _ => 400,
    };

    public static string Message(HttpRejection r) => r switch
    {
        HttpRejection.MalformedRequestLine => "malformed request line",
        HttpRejection.InvalidMethod => "invalid method",
        HttpRejection.InvalidTarget => "invalid request target",
        HttpRejection.RequestLineTooLong => "request line longer than 8 KiB",
        HttpRejection.UnsupportedVersion => "HTTP version not supported (HTTP/1.0 and HTTP/1.1 are)",
        HttpRejection.InvalidLineEnding => "lines must end with CRLF",
        HttpRejection.InvalidHeaderName => "invalid header name",
        HttpRejection.ObsoleteLineFolding => "obsolete header line folding is not accepted",
        HttpRejection.ControlCharacter => "control character in header value",
        HttpRejection.HeadersTooLarge => "request headers larger than 64 KiB",
        HttpRejection.TooManyHeaders => "more than 100 request header fields",
        HttpRejection.MissingHost => "HTTP/1.1 request without Host header",
        HttpRejection.DuplicateHost => "more than one Host header",
        HttpRejection.InvalidContentLength => "invalid Content-Length",
        HttpRejection.ConflictingContentLength => "conflicting Content-Length values",
        HttpRejection.ContentLengthWithTransferEncoding => "Content-Length together with Transfer-Encoding",
        HttpRejection.TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 request",
        HttpRejection.UnsupportedTransferCoding => "transfer coding not implemented (only chunked is)",
        HttpRejection.UnsupportedExpectation => "unsupported Expect value (only 100-continue is)",
        HttpRejection.BodyTooLarge => "request body larger than the configured maximum",
        HttpRejection.BadChunk => "bad chunked body framing",
        HttpRejection.UnexpectedEnd => "connection closed in the middle of a request",
        _ => "bad request",
    };

    /// <summary>Kept out of line so the hot parsing methods that call it stay small.</summary>
    [StackTraceHidden]
    public static void Throw(HttpRejection reason) => throw new HttpRejectException(reason);
}
