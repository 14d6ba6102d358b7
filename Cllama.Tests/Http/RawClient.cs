using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cllama.Tests.Http;

/// <summary>
/// A loopback client that speaks raw bytes: it sends exactly what a test writes and reads responses by their framing
/// (status line, headers, then Content-Length, chunked or close-delimited body). Every read is bounded by a timeout.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    byte[] _buffer = new byte[16 * 1024];
    int _start;
    int _end;

    RawClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
            bytes = bytes[await Socket.SendAsync(bytes, SocketFlags.None)..];
    }

    public async Task<RawResponse> SendAndReadAsync(string request, bool bodyless = false)
    {
        await SendAsync(request);
        return await ReadResponseAsync(bodyless);
    }

    /// <summary>Half-closes: the server sees the end of input while the client can still read.</summary>
    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one response. <paramref name="bodyless"/>: the request was HEAD, so no body follows the head.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool bodyless = false, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await ReadResponseAsync(bodyless, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete response within {timeout ?? DefaultTimeout}");
        }
    }

    /// <summary>Waits until the server closes the connection, asserting it sends nothing more.</summary>
    /// <param name="allowReset">false: only an orderly close (FIN) passes, not a reset.</param>
    /// <returns>How long the wait took.</returns>
    public async Task<TimeSpan> AssertClosedAsync(TimeSpan? within = null, bool allowReset = true)
    {
        var clock = Stopwatch.StartNew();
        Assert.True(_end == _start, $"{_end - _start} unread bytes before the close");
        using var cts = new CancellationTokenSource(within ?? DefaultTimeout);
        try
        {
            int n = await ReceiveAsync(cts.Token);
            Assert.True(n == 0, $"expected the server to close, got {n} more bytes: {Encoding.Latin1.GetString(_buffer, _start, Math.Min(n, 200))}");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            Assert.True(allowReset, "the server reset the connection instead of closing it");
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"the server did not close the connection within {within ?? DefaultTimeout}");
        }
        return clock.Elapsed;
    }

    /// <summary>Everything the server sends until it closes (an orderly close or a reset), unparsed.</summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(within ?? DefaultTimeout);
        try
        {
            return await ReadToCloseAsync(cts.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            var rest = _buffer[_start.._end];
            _start = _end;
            return rest;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"the server did not close the connection within {within ?? DefaultTimeout}");
        }
    }

    async Task<RawResponse> ReadResponseAsync(bool bodyless, CancellationToken ct)
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            await ReadMoreAsync(ct, "the response head");
        var lines = Encoding.Latin1.GetString(_buffer, _start, headEnd).Split("\r\n");
        _start += headEnd + 4;

        var statusLine = lines[0].Split(' ', 3);
        var headers = lines.Skip(1).Select(l =>
        {
            int colon = l.IndexOf(':');
            return new KeyValuePair<string, string>(l[..colon], l[(colon + 1)..].Trim());
        }).ToList();
        var response = new RawResponse(statusLine[0], int.Parse(statusLine[1]), statusLine.Length > 2 ? statusLine[2] : "", headers, []);

        if (bodyless || response.Status is < 200 or 204 or 304)
            return response;
        if (response.Chunked)
            return response with { Body = await ReadChunkedAsync(ct) };
        if (response.Header("Content-Length") is { } length)
            return response with { Body = await ReadExactlyAsync(int.Parse(length), ct) };
        return response with { Body = await ReadToCloseAsync(ct) };
    }

    async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync(ct);
            int size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(ct)).Length > 0) { } // trailers
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size, ct));
            if (await ReadLineAsync(ct) != "")
                throw new InvalidDataException("chunk data not followed by CRLF");
        }
    }

    async Task<string> ReadLineAsync(CancellationToken ct)
    {
        int lf;
        while ((lf = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
            await ReadMoreAsync(ct, "a chunk line");
        var line = Encoding.Latin1.GetString(_buffer, _start, lf);
        _start += lf + 2;
        return line;
    }

    async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            if (_start == _end)
                await ReadMoreAsync(ct, $"a body of {count} bytes (got {filled})");
            int take = Math.Min(count - filled, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(filled));
            _start += take;
            filled += take;
        }
        return result;
    }

    async Task<byte[]> ReadToCloseAsync(CancellationToken ct)
    {
        while (await ReceiveAsync(ct) > 0) { }
        var body = _buffer[_start.._end];
        _start = _end;
        return body;
    }

    async Task ReadMoreAsync(CancellationToken ct, string what)
    {
        if (await ReceiveAsync(ct) == 0)
            throw new EndOfStreamException($"the server closed the connection while the client waited for {what}");
    }

    /// <summary>Appends whatever the socket has to the buffer; returns the count (0 at end of stream).</summary>
    async Task<int> ReceiveAsync(CancellationToken ct)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_buffer.Length - _end < 4096)
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2, _end - _start + 8192)];
            _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
            _end -= _start;
            _start = 0;
            _buffer = bigger;
        }
        int n = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        _end += n;
        return n;
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
