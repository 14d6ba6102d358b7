namespace Cllama.Http;

/// <summary>Decides framing, keep-alive and expectations from a parsed head, refusing the ambiguous cases
/// that enable request smuggling (RFC 9112 §6.3).</summary>
static class HeadValidator
{
    public static void Finish(HttpRequestHead head, HttpLimits limits)
    {
        var h = head.Headers;
        int hosts = h.CountOf(KnownHeaders.Host);
        if (hosts > 1)
            HttpRejections.Throw(HttpRejection.DuplicateHost);
        if (hosts == 0 && head.Version == HttpVersion.Http11)
            HttpRejections.Throw(HttpRejection.MissingHost);

        long? length = null;
        bool chunked = false;
        bool hasTe = false;
        foreach (var (name, value) in h)
        {
            if (ReferenceEquals(name, KnownHeaders.ContentLength))
                length = MergeLength(length, value);
            else if (ReferenceEquals(name, KnownHeaders.TransferEncoding))
            {
                hasTe = true;
                chunked = ParseTransferEncoding(value, chunked);
            }
        }
        if (hasTe && length is not null)
            HttpRejections.Throw(HttpRejection.ContentLengthWithTransferEncoding);
        if (hasTe && head.Version == HttpVersion.Http10)
            HttpRejections.Throw(HttpRejection.TransferEncodingInHttp10);
        if (hasTe && !chunked)
            HttpRejections.Throw(HttpRejection.UnsupportedTransferCoding);

        if (chunked)
            head.Framing = BodyFraming.Chunked;
        else if (length is > 0)
        {
            // Answered from the headers alone: the body is never read.
            if (length > limits.MaxBodyBytes)
                HttpRejections.Throw(HttpRejection.BodyTooLarge);
            head.Framing = BodyFraming.ContentLength;
            head.ContentLength = length.Value;
        }

        head.KeepAlive = KeepAlive(head);

        var expect = h.Get(KnownHeaders.Expect);
        if (expect is not null)
        {
            if (!expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                HttpRejections.Throw(HttpRejection.UnsupportedExpectation);
            head.ExpectContinue = head.Version == HttpVersion.Http11 && head.Framing != BodyFraming.None;
        }
    }

    /// <summary>Content-Length may repeat (as separate fields or a list) only with one identical value.</summary>
    static long MergeLength(long? seen, string value)
    {
        long? result = seen;
        foreach (var part in value.Split(','))
        {
            var p = part.Trim();
            if (p.Length == 0 || p.Length > 18 || !p.All(char.IsAsciiDigit))
                HttpRejections.Throw(HttpRejection.InvalidContentLength);
            long n = long.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
            if (result is not null && result != n)
                HttpRejections.Throw(HttpRejection.ConflictingContentLength);
            result = n;
        }
        return result!.Value;
    }

    /// <summary>Only "chunked", exactly once and last, is accepted; any other coding is 501.</summary>
    static bool ParseTransferEncoding(string value, bool alreadyChunked)
    {
        bool chunked = alreadyChunked;
        foreach (var part in value.Split(','))
        {
            var coding = part.Trim();
            if (coding.Length == 0)
                continue;
            if (!coding.Equals("chunked", StringComparison.OrdinalIgnoreCase) || chunked)
                HttpRejections.Throw(chunked && coding.Equals("chunked", StringComparison.OrdinalIgnoreCase)
                    ? HttpRejection.BadChunk
                    : HttpRejection.UnsupportedTransferCoding);
            chunked = true;
        }
        return chunked;
    }

    static bool KeepAlive(HttpRequestHead head)
    {
        bool close = false, keepAlive = false;
        foreach (var (name, value) in head.Headers)
        {
            if (!ReferenceEquals(name, KnownHeaders.Connection))
                continue;
            foreach (var token in value.Split(','))
            {
                var t = token.Trim();
                if (t.Equals("close", StringComparison.OrdinalIgnoreCase)) close = true;
                else if (t.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)) keepAlive = true;
            }
        }
        if (close)
            return false;
        return head.Version == HttpVersion.Http11 || keepAlive;
    }
}
