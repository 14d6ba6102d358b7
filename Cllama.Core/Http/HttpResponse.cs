using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace Cllama.Http;

/// <summary>
/// Writes one response to the connection's pipe: a head (with Content-Length, chunked, or close-delimited for
/// HTTP/1.0), then body bytes. Nothing is flushed until <see cref="FlushAsync"/>, so a streaming handler decides
/// when bytes leave and a plain response goes out in one write with any pipelined neighbours.
/// </summary>
public sealed class HttpResponse
{
    enum BodyMode { None, Length, Chunked, CloseDelimited }

    readonly PipeWriter _output;
    readonly CancellationToken _serverStopping;
    HttpRequestHead _request = null!;
    BodyMode _mode;
    long _lengthRemaining;

    internal HttpResponse(PipeWriter output, CancellationToken serverStopping)
    {
        _output = output;
        _serverStopping = serverStopping;
    }

    public bool HasStarted { get; private set; }
    public bool IsCompleted { get; private set; }
    public int StatusCode { get; private set; }
    /// <summary>Set when the connection must close after this response (client asked, or framing demands it).</summary>
    public bool CloseConnection { get; set; }
    /// <summary>Set by a handler when a started response had to be cut: the connection is aborted, never completed.</summary>
    public bool Aborted { get; private set; }

    internal void Reset(HttpRequestHead request, bool closeAfter)
    {
        _request = request;
        HasStarted = IsCompleted = Aborted = false;
        StatusCode = 0;
        _mode = BodyMode.None;
        CloseConnection = closeAfter;
    }

    /// <summary>Writes the status line and headers. <paramref name="contentLength"/> null means a streamed body.</summary>
    public void StartResponse(int status, IEnumerable<KeyValuePair<string, string>>? headers, long? contentLength) =>
        StartResponse(status, null, headers, contentLength);

    void StartResponse(int status, string? contentType, IEnumerable<KeyValuePair<string, string>>? headers, long? contentLength)
    {
        if (HasStarted)
            throw new InvalidOperationException("response already started");
        HasStarted = true;
        StatusCode = status;
        // A response that starts while the server drains is the connection's last: say so, so the client does not reuse it.
        if (_serverStopping.IsCancellationRequested)
            CloseConnection = true;
        var w = _output;
        Write(w, _request.Version == HttpVersion.Http10 ? "HTTP/1.0 "u8 : "HTTP/1.1 "u8);
        WriteInt(w, status);
        Write(w, " "u8);
        WriteAscii(w, ReasonPhrases.For(status));
        Write(w, "\r\nDate: "u8);
        Write(w, DateHeader.Current);
        Write(w, "\r\n"u8);
        if (contentType is not null)
        {
            Write(w, "Content-Type: "u8);
            WriteAscii(w, contentType);
            Write(w, "\r\n"u8);
        }
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                WriteAscii(w, name);
                Write(w, ": "u8);
                WriteLatin1(w, value);
                Write(w, "\r\n"u8);
            }
        }
        bool bodyless = status is 204 or 304 || _request.Method == "HEAD";
        if (contentLength is long len)
        {
            if (status != 204 && status != 304)
            {
                Write(w, "Content-Length: "u8);
                WriteInt(w, len);
                Write(w, "\r\n"u8);
            }
            _mode = bodyless ? BodyMode.None : BodyMode.Length;
            _lengthRemaining = len;
        }
        else if (bodyless)
            _mode = BodyMode.None;
        else if (_request.Version == HttpVersion.Http11)
        {
            Write(w, "Transfer-Encoding: chunked\r\n"u8);
            _mode = BodyMode.Chunked;
        }
        else
        {
            // An HTTP/1.0 client cannot read chunks: the body ends when the connection does.
            _mode = BodyMode.CloseDelimited;
            CloseConnection = true;
        }
        if (CloseConnection)
            Write(w, "Connection: close\r\n"u8);
        else if (_request.Version == HttpVersion.Http10)
            Write(w, "Connection: keep-alive\r\n"u8);
        Write(w, "\r\n"u8);
    }

    /// <summary>Appends body bytes (framed as a chunk when chunked); does not flush.</summary>
    public void WriteBody(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || _mode == BodyMode.None)
            return;
        if (_mode == BodyMode.Chunked)
        {
            WriteHex(_output, data.Length);
            Write(_output, "\r\n"u8);
            _output.Write(data);
            Write(_output, "\r\n"u8);
            return;
        }
        if (_mode == BodyMode.Length)
        {
            if (data.Length > _lengthRemaining)
                throw new InvalidOperationException("body longer than its Content-Length");
            _lengthRemaining -= data.Length;
        }
        _output.Write(data);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
            throw new IOException("client connection closed");
    }

    /// <summary>Writes body bytes and flushes them to the client at once: the streaming path.</summary>
    public ValueTask WriteAndFlushAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        WriteBody(data.Span);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Ends the body: the chunked terminator, or a check that the promised length was sent.</summary>
    public void Complete()
    {
        if (IsCompleted || Aborted)
            return;
        if (_mode == BodyMode.Chunked)
            Write(_output, "0\r\n\r\n"u8);
        else if (_mode == BodyMode.Length && _lengthRemaining != 0)
        {
            // A short body would desynchronise the client's framing; cut the connection instead.
            Abort();
            return;
        }
        IsCompleted = true;
    }

    /// <summary>Marks a started response as cut: the connection closes without completing the body.</summary>
    public void Abort()
    {
        Aborted = true;
        CloseConnection = true;
    }

    /// <summary>A whole response in one call: head, body, completion (flushed by the connection loop).</summary>
    public void Send(int status, string contentType, ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        StartResponse(status, contentType, extraHeaders, body.Length);
        WriteBody(body);
        Complete();
    }

    static void Write(PipeWriter w, ReadOnlySpan<byte> bytes) => w.Write(bytes);

    static void WriteAscii(PipeWriter w, string s)
    {
        var span = w.GetSpan(s.Length);
        int n = Encoding.ASCII.GetBytes(s, span);
        w.Advance(n);
    }

    static void WriteLatin1(PipeWriter w, string s)
    {
        var span = w.GetSpan(s.Length);
        int n = Encoding.Latin1.GetBytes(s, span);
        w.Advance(n);
    }

    static void WriteInt(PipeWriter w, long value)
    {
        var span = w.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int n);
        w.Advance(n);
    }

    static void WriteHex(PipeWriter w, int value)
    {
        var span = w.GetSpan(8);
        Utf8Formatter.TryFormat(value, span, out int n, new StandardFormat('x'));
        w.Advance(n);
    }
}
