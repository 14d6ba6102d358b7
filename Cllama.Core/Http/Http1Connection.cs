using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
    // The request loop resumes inline on the receive loop's thread: one thread-pool hop fewer per request. Safe because
    // the request loop never waits on the receive loop, only on the pipe.
    readonly Pipe _input = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, useSynchronizationContext: false,
        pauseWriterThreshold: 128 * 1024, resumeWriterThreshold: 64 * 1024));
    readonly PipeWriter _output;
    readonly CancellationTokenSource _clientGone = new();
    readonly HttpRequestHead _head = new();
    readonly HttpResponse _response;
    readonly long _acceptedAt = Environment.TickCount64;
    volatile bool _handling;
    bool _held;
    bool _headSeen;
    CancellationTokenSource _timeout = null!;

    public Http1Connection(Socket socket, IHttpHandler handler, HttpLimits limits, ILogger logger, CancellationToken serverStopping)
    {
        _socket = socket;
        _handler = handler;
        _limits = limits;
        _logger = logger;
        _serverStopping = serverStopping;
        _output = PipeWriter.Create(new NetworkStream(socket, ownsSocket: false), new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        _response = new HttpResponse(_output, serverStopping);
    }

    /// <summary>True while a request is being handled.</summary>
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
            // Completing the reader first frees a receive loop blocked on a full pipe (input nobody will read).
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
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
            ReadOnlyMemory<byte> body;
            try
            {
                if (!await ReadHeadAsync(timeout).ConfigureAwait(false))
                {
                    await FlushHeldAsync().ConfigureAwait(false);
                    return;
                }
                body = await ReadBodyAsync().ConfigureAwait(false);
            }
            catch (HttpRejectException e)
            {
                await RejectAsync(e).ConfigureAwait(false);
                return;
            }

            await HandleAsync(body).ConfigureAwait(false);
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

    async ValueTask HandleAsync(ReadOnlyMemory<byte> body)
    {
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
    }

    bool NextRequestBuffered()
    {
        if (!_input.Reader.TryRead(out var result))
            return false;
        _input.Reader.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty;
    }

    /// <summary>Sends responses held back for batching; called before waiting on a client that may be waiting for them.</summary>
    async ValueTask FlushHeldAsync()
    {
        if (!_held)
            return;
        _held = false;
        await _response.FlushAsync().ConfigureAwait(false);
    }

    /// <returns>false on a clean end between requests, an expired timeout, or the server stopping.</returns>
    /// <remarks>Pooled: it waits for every request, so a fresh state machine each time would be garbage per request.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    async ValueTask<bool> ReadHeadAsync(CancellationTokenSource timeout)
    {
        // A new connection has the header timeout from its accept, so one that never sends a byte is dropped as soon as
        // a slow one; between requests the keep-alive timeout applies until the next request's first byte.
        long? headerDeadline = _headSeen ? null : _acceptedAt + (long)_limits.HeaderTimeout.TotalMilliseconds;
        while (true)
        {
            if (!timeout.TryReset())
                return false;
            if (headerDeadline is long deadline)
                timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64)));
            else
                timeout.CancelAfter(_limits.KeepAliveTimeout);

            ReadResult result;
            try
            {
                result = await _input.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
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
                    _headSeen = true;
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

    async Task RejectAsync(HttpRejectException e)
    {
        _response.Reset(_head, closeAfter: true);
        // Messages are fixed ASCII strings without quotes, so plain concatenation is valid JSON.
        var json = System.Text.Encoding.UTF8.GetBytes(
            "{\"error\":{\"message\":\"" + e.Message + "\",\"type\":\"invalid_request_error\",\"code\":\"" + e.Reason + "\"}}");
        _response.Send(e.Status, "application/json", json);
        await _response.FlushAsync().ConfigureAwait(false);
        await LingerAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error while serving a request")]
    static partial void LogUnhandled(ILogger logger, Exception e);
}
