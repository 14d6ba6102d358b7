using Cllama.App;
using Cllama.Config;
using Cllama.Http;

namespace Cllama.Tests.Http;

/// <summary>
/// A real <see cref="HttpServer"/> on 127.0.0.1 with an ephemeral port. By default it serves the real
/// <see cref="ApiHandler"/> (so <c>/health</c> is the product's) over a <see cref="TestHandler"/> for <c>/v1/*</c>.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    TestServer(HttpServer server, ListLogger log)
    {
        Server = server;
        Log = log;
        Port = server.LocalEndPoint.Port;
    }

    public HttpServer Server { get; }
    public int Port { get; }
    /// <summary>Warnings and errors the server logged; tests assert <c>Log.Errors</c> is empty after abuse.</summary>
    public ListLogger Log { get; }

    public static Task<TestServer> StartAsync(IHttpHandler? handler = null, HttpLimits? limits = null)
    {
        var log = new ListLogger();
        var server = new HttpServer("test", new ListenAddress("127.0.0.1", 0), handler ?? new ApiHandler(new TestHandler()), limits ?? new HttpLimits(), log);
        server.Start();
        return Task.FromResult(new TestServer(server, log));
    }

    public Task<RawClient> ConnectAsync() => RawClient.ConnectAsync(Port);

    /// <summary>One <c>GET /health</c> on a fresh connection.</summary>
    public async Task<RawResponse> GetHealthAsync()
    {
        await using var client = await ConnectAsync();
        return await client.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
    }

    public Task StopAsync(TimeSpan grace) => Server.StopAsync(grace);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
