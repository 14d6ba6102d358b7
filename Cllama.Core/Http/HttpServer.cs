using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cllama.Config;
using Microsoft.Extensions.Logging;

namespace Cllama.Http;

/// <summary>
/// A listener: accepts sockets and runs one <see cref="Http1Connection"/> per client. Stopping closes the listener at
/// once, closes idle connections, and gives requests in flight (streams included) a grace period before cutting them.
/// </summary>
public sealed partial class HttpServer : IAsyncDisposable
{
    readonly string _name;
    readonly ListenAddress _address;
    readonly IHttpHandler _handler;
    readonly HttpLimits _limits;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stopping = new();
    readonly ConcurrentDictionary<long, (Http1Connection Connection, Task Task)> _connections = new();
    readonly List<Socket> _listeners = [];
    readonly List<Task> _acceptLoops = [];
    long _nextId;

    public HttpServer(string name, ListenAddress address, IHttpHandler handler, HttpLimits limits, ILogger logger)
    {
        _name = name;
        _address = address;
        _handler = handler;
        _limits = limits;
        _logger = logger;
    }

    /// <summary>The bound endpoint (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listeners[0].LocalEndPoint!;

    public void Start()
    {
        foreach (var endpoint in _address.Resolve())
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
                    socket.DualMode = true;
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endpoint);
                socket.Listen(1024);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            _listeners.Add(socket);
        }
        foreach (var listener in _listeners)
            _acceptLoops.Add(AcceptLoopAsync(listener));
        LogListening(_logger, _name, LocalEndPoint.ToString());
    }

    async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                // EMFILE, ECONNABORTED and the like: one bad accept must not stop the listener, and a persistent
                // one (out of descriptors) must not spin the CPU or flood the log either.
                LogAcceptFailed(_logger, _name, e.SocketErrorCode.ToString());
                try { await Task.Delay(50, _stopping.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            client.NoDelay = true;
            long id = Interlocked.Increment(ref _nextId);
            var connection = new Http1Connection(client, _handler, _limits, _logger, _stopping.Token);
            // Registered before it starts, so a connection that ends at once cannot remove itself before it was added.
            var start = new Task<Task>(() => RunConnectionAsync(id, connection));
            _connections[id] = (connection, start.Unwrap());
            start.Start(TaskScheduler.Default); // on the pool: the accept loop must not run the first read itself
        }
    }

    async Task RunConnectionAsync(long id, Http1Connection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Stops accepting, closes idle keep-alive connections, waits up to <paramref name="grace"/> for requests in
    /// flight, then cuts whatever is still running and returns.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        foreach (var listener in _listeners)
            listener.Dispose();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        var remaining = _connections.Values.Select(c => c.Task).ToArray();
        var all = Task.WhenAll(remaining);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) == all)
            return;
        LogGraceExpired(_logger, _name, _connections.Count);
        foreach (var (connection, _) in _connections.Values)
            connection.Abort();
    }

    public int ActiveRequests => _connections.Values.Count(c => c.Connection.IsBusy);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} listening on {Endpoint}")]
    static partial void LogListening(ILogger logger, string name, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: accept failed ({Error})")]
    static partial void LogAcceptFailed(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: shutdown grace expired with {Count} connections still open")]
    static partial void LogGraceExpired(ILogger logger, string name, int count);
}
