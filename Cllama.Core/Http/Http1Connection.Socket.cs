using System.Net.Sockets;

namespace Cllama.Http;

/// <summary>The socket side: receiving into the pipe, lingering after a refusal, closing and aborting.</summary>
sealed partial class Http1Connection
{
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

    /// <summary>
    /// After a refusal the client may still be sending (a body we will never read). Closing with unread input makes the
    /// kernel reset the connection, which can destroy the refusal before the client reads it; so, like nginx's
    /// lingering close, we half-close and discard input until the client closes or <see cref="HttpLimits.LingerTimeout"/> passes.
    /// </summary>
    async Task LingerAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            return;
        }
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(_serverStopping);
        linger.CancelAfter(_limits.LingerTimeout);
        try
        {
            while (true)
            {
                var result = await _input.Reader.ReadAsync(linger.Token).ConfigureAwait(false);
                _input.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Cuts the connection now (shutdown grace expired): the client sees a reset, the handler sees ClientGone.</summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
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
}
