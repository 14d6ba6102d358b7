using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cllama.Http;

/// <summary>
/// One client connection: a receive loop that moves socket bytes into a pipe (and notices the client leaving),
/// and a request loop that parses heads, reads bodies, runs the handler and keeps the connection alive.
/// </summary>
sealed partial class Http1Connection
{
    readonly Socket _socket;
    readonly IHttpHandler _handler;
    readonly HttpLimits _limits;
    readonly ILogger _logger;
    readonly CancellationToken _serverStopping;
    readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false, pauseWriterThreshold: 128 * 1024, resumeWriterThreshold: 64 * 1024));
    readonly PipeWriter _output;
    readonly CancellationTokenSource _clientGone = new();
    readonly HttpRequestHead _head = new();
    readonly HttpResponse _response;
    volatile bool _handling;
    bool _held;
    CancellationTokenSource _timeout = null!;

    public Http1Connection(Socket socket, IHttpHandler handler, HttpLimits limits, ILogger logger, CancellationToken serverStopping)
    {
        _socket = socket;
        _handler = handler;
        _limits = limits;
        _logger = logger;
        _serverStopping = serverStopping;
        _output = PipeWriter.Create(new NetworkStream(socket, ownsSocket: false), new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        _response = new HttpResponse(_output);
    }

    /// <summary>True while a request is being handled: shutdown waits for these, and only these.</summary>
    public bool IsBusy => _handling;

    public async Task RunAsync()
    {
        var receiving = ReceiveLoopAsync();
        try
        {
            await RequestLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the connection timed out: nothing to answer.
        }
        catch (Exception e)
        {
            LogUnhandled(_logger, e);
        }
        finally
        {
            Close();
            await receiving.ConfigureAwait(false);
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
            _clientGone.Dispose();
        }
    }

    async Task RequestLoopAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_serverStopping);
        _timeout = timeout;
        // Stopping ends the loop through ReadHeadAsync, whose timeout is linked to it.
        while (true)
        {
            bool parsed;
            try
            {
                parsed = await ReadHeadAsync(timeout).ConfigureAwait(false);
            }
            catch (HttpRejectException e)
            {
                await RejectAsync(e).ConfigureAwait(false);
                return;
            }
            if (!parsed)
            {
                await FlushHeldAsync().ConfigureAwait(false);
                return;
            }

            ReadOnlyMemory<byte> body;
            try
            {
                body = await ReadBodyAsync().ConfigureAwait(false);
            }
            catch (HttpRejectException e)
            {
                await RejectAsync(e).ConfigureAwait(false);
                return;
            }

            _response.Reset(_head, closeAfter: !_head.KeepAlive || _serverStopping.IsCancellationRequested);
            _handling = true;
            try
            {
                await _handler.HandleAsync(new HttpContext(_head, body, _response, _clientGone.Token, _socket.RemoteEndPoint)).ConfigureAwait(false);
                if (!_response.HasStarted)
                    _response.Send(500, "application/json", """{"error":{"message":"no response","type":"server_error","code":"internal_error"}}"""u8);
                _response.Complete();
            }
            catch (Exception e) when (e is not (IOException or SocketException or OperationCanceledException))
            {
                LogUnhandled(_logger, e);
                if (_response.HasStarted)
                    _response.Abort();
                else
                {
                    _response.CloseConnection = true;
                    _response.Send(500, "application/json", """{"error":{"message":"internal error","type":"server_error","code":"internal_error"}}"""u8);
                }
            }
            finally
            {
                _handling = false;
            }

            if (_response.Aborted)
                return;
            // One flush per batch: when the next pipelined request is already here, its response joins this write.
            if (_response.CloseConnection || !NextRequestBuffered())
                await _response.FlushAsync().ConfigureAwait(false);
            else
                _held = true;
            if (_response.CloseConnection)
                return;
        }
    }

    /// <summary>Sends responses held back for batching; called before waiting on a client that may be waiting for them.</summary>
    async ValueTask FlushHeldAsync()
    {
        if (!_held)
            return;
        _held = false;
        await _response.FlushAsync().ConfigureAwait(false);
    }

    bool NextRequestBuffered()
    {
        if (!_input.Reader.TryRead(out var result))
            return false;
        _input.Reader.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty;
    }

    /// <returns>false on a clean end between requests or an expired keep-alive.</returns>
    async ValueTask<bool> ReadHeadAsync(CancellationTokenSource timeout)
    {
        long? headerDeadline = null;
        while (true)
        {
            if (!timeout.TryReset())
                return false;
            long now = Environment.TickCount64;
            if (headerDeadline is long deadline)
                timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, deadline - now)));
            else
                timeout.CancelAfter(_limits.KeepAliveTimeout);

            ReadResult result;
            try
            {
                result = await _input.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false; // keep-alive expired, headers too slow, or the server is stopping
            }
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            try
            {
                if (buffer.IsEmpty && result.IsCompleted)
                    return false;
                headerDeadline ??= Environment.TickCount64 + (long)_limits.HeaderTimeout.TotalMilliseconds;
                var reader = new SequenceReader<byte>(buffer);
                if (Http1Parser.TryParseHead(ref reader, _limits, _head))
                {
                    consumed = examined = reader.Position;
                    timeout.CancelAfter(Timeout.InfiniteTimeSpan);
                    return true;
                }
                if (result.IsCompleted)
                    HttpRejections.Throw(HttpRejection.UnexpectedEnd);
            }
            finally
            {
                _input.Reader.AdvanceTo(consumed, examined);
            }
            // The next request is not all here: the client may be waiting for the answers we held back before sending the rest.
            await FlushHeldAsync().ConfigureAwait(false);
        }
    }

    async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync()
    {
        if (_head.Framing == BodyFraming.None)
            return ReadOnlyMemory<byte>.Empty;
        if (_head.ExpectContinue)
        {
            // Answered at once, before any body byte arrives; the limits were already checked on the headers.
            _output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        return _head.Framing == BodyFraming.ContentLength
            ? await ReadFixedBodyAsync(_head.ContentLength).ConfigureAwait(false)
            : await ReadChunkedBodyAsync().ConfigureAwait(false);
    }

    async ValueTask<ReadOnlyMemory<byte>> ReadFixedBodyAsync(long length)
    {
        var body = new byte[length];
        long filled = 0;
        while (filled < length)
        {
            var result = await ReadBodyBytesAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            long take = Math.Min(buffer.Length, length - filled);
            buffer.Slice(0, take).CopyTo(body.AsSpan((int)filled));
            filled += take;
            _input.Reader.AdvanceTo(buffer.GetPosition(take));
            if (filled < length && result.IsCompleted)
                HttpRejections.Throw(HttpRejection.UnexpectedEnd);
        }
        return body;
    }

    async ValueTask<ReadOnlyMemory<byte>> ReadChunkedBodyAsync()
    {
        var body = new ArrayBufferWriter<byte>(4096);
        var parser = new ChunkedBodyParser();
        while (true)
        {
            var result = await ReadBodyBytesAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            bool done = false;
            try
            {
                done = parser.TryParse(ref reader, body, _limits);
            }
            finally
            {
                // Once done, what follows is the next pipelined request: it must stay unexamined or the next read waits for more.
                _input.Reader.AdvanceTo(reader.Position, done ? reader.Position : buffer.End);
            }
            if (done)
                return body.WrittenMemory;
            if (result.IsCompleted)
                HttpRejections.Throw(HttpRejection.UnexpectedEnd);
        }
    }

    /// <summary>A body read: each wait for more bytes gets the header timeout, so a stalled upload cannot hold a connection forever.</summary>
    async ValueTask<ReadResult> ReadBodyBytesAsync()
    {
        if (!_timeout.TryReset())
            throw new OperationCanceledException();
        _timeout.CancelAfter(_limits.HeaderTimeout);
        var result = await _input.Reader.ReadAsync(_timeout.Token).ConfigureAwait(false);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        return result;
    }

    async Task RejectAsync(HttpRejectException e)
    {
        _response.Reset(_head, closeAfter: true);
        // Messages are fixed ASCII strings without quotes, so plain concatenation is valid JSON.
        var json = System.Text.Encoding.UTF8.GetBytes(
            "{\"error\":{\"message\":\"" + e.Message + "\",\"type\":\"invalid_request_error\",\"code\":\"" + e.Reason + "\"}}");
        _response.Send(e.Status, "application/json", json);
        await _response.FlushAsync().ConfigureAwait(false);
    }

    async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                int n = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                    break;
                writer.Advance(n);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                    break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
            try { _clientGone.Cancel(); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>Closes the socket. After an aborted response the close is a reset, so no client mistakes a cut body for a whole one.</summary>
    void Close()
    {
        try
        {
            if (_response.Aborted)
                _socket.LingerState = new LingerOption(true, 0);
            else
                _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error while serving a request")]
    static partial void LogUnhandled(ILogger logger, Exception e);
}
