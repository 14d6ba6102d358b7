using System.Net;
using Cllama.Config;

namespace Cllama.Proxy;

/// <summary>
/// The one HttpClient every upstream call goes through, configured as a transparent pipe: no proxy, no redirects,
/// no automatic decompression (the relay decides), no cookies, a generous per-host pool.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(ProxyConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = config.ConnectTimeout,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            // An abandoned upstream response (client gone) closes its connection at once instead of being drained.
            MaxResponseDrainSize = 0,
        };
        Http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        FirstByteTimeout = config.FirstByteTimeout;
        IdleTimeout = config.IdleTimeout;
    }

    public HttpClient Http { get; }
    public TimeSpan FirstByteTimeout { get; }
    public TimeSpan IdleTimeout { get; }

    public void Dispose() => Http.Dispose();
}
