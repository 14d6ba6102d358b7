using System.Diagnostics;
using System.Net.Sockets;
using Cllama.App;

namespace Cllama.Tests.Http;

/// <summary>Clients leaving early, and shutdown: drain within the grace period, refuse new connections, cut the rest.</summary>
public class HttpServerLifecycleTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    static async Task<(TestServer Server, TestHandler Handler)> StartAsync()
    {
        var handler = new TestHandler();
        return (await TestServer.StartAsync(new ApiHandler(handler)), handler);
    }

    static void Reset(RawClient client) => client.Socket.LingerState = new LingerOption(true, 0);

    [Fact]
    public async Task Client_that_leaves_mid_response_stops_the_handler_and_harms_nobody()
    {
        var (server, handler) = await StartAsync();
        await using var _ = server;
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /v1/stream HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.Equal(200, (await client.ReadResponseAsync(bodyless: true)).Status);
            Reset(client);
        }
        var ended = await handler.StreamEnded.Task.WaitAsync(Bound);
        Assert.True(ended is IOException or OperationCanceledException, $"stream ended with {ended}");
        Assert.Equal(200, (await server.GetHealthAsync()).Status);
        Assert.Empty(server.Log.Errors);
    }

    [Fact]
    public async Task Client_gone_fires_when_the_client_closes_during_a_request()
    {
        var (server, handler) = await StartAsync();
        await using var _ = server;
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /v1/until-gone HTTP/1.1\r\nHost: t\r\n\r\n");
            await handler.SlowEntered.Task.WaitAsync(Bound);
        }
        await handler.ClientGoneSeen.Task.WaitAsync(Bound);
        Assert.Equal(200, (await server.GetHealthAsync()).Status);
    }

    [Fact]
    public async Task Stop_lets_a_request_in_flight_finish_and_refuses_new_connections()
    {
        var (server, handler) = await StartAsync();
        await using var _ = server;
        await using var slow = await server.ConnectAsync();
        await using var idle = await server.ConnectAsync();
        Assert.Equal(200, (await idle.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")).Status);
        await slow.SendAsync("GET /v1/slow HTTP/1.1\r\nHost: t\r\n\r\n");
        await handler.SlowEntered.Task.WaitAsync(Bound);

        var clock = Stopwatch.StartNew();
        var stopping = server.StopAsync(TimeSpan.FromSeconds(30));
        var refused = await Assert.ThrowsAsync<SocketException>(server.ConnectAsync);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await idle.AssertClosedAsync(Bound);
        Assert.False(stopping.IsCompleted);

        handler.Release.SetResult();
        var r = await slow.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"slow":true}""", r.Text);
        Assert.True(r.ConnectionClose, "a response finished during the drain must close its connection");
        await slow.AssertClosedAsync(Bound);
        await stopping.WaitAsync(Bound);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stop took {clock.Elapsed}");
    }

    [Fact]
    public async Task Stop_delivers_the_answer_in_flight_even_with_a_pipelined_request_behind_it()
    {
        var (server, handler) = await StartAsync();
        await using var _ = server;
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /v1/slow HTTP/1.1\r\nHost: t\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\n\r\n");
        await handler.SlowEntered.Task.WaitAsync(Bound);
        var stopping = server.StopAsync(TimeSpan.FromSeconds(30));
        handler.Release.SetResult();
        Assert.Equal("""{"slow":true}""", (await client.ReadResponseAsync()).Text);
        await stopping.WaitAsync(Bound);
    }

    [Fact]
    public async Task Stop_cuts_requests_still_running_when_the_grace_period_ends()
    {
        var (server, handler) = await StartAsync();
        await using var _ = server;
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /v1/until-gone HTTP/1.1\r\nHost: t\r\n\r\n");
        await handler.SlowEntered.Task.WaitAsync(Bound);
        var clock = Stopwatch.StartNew();
        await server.StopAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Bound);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"stop returned after {clock.Elapsed}");
        await client.AssertClosedAsync(Bound);
        await handler.ClientGoneSeen.Task.WaitAsync(Bound);
    }
}
