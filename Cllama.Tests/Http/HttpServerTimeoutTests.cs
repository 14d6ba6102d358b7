using System.Diagnostics;
using Cllama.Http;

namespace Cllama.Tests.Http;

/// <summary>Slow and idle clients are dropped on time and never delay anyone else.</summary>
public class HttpServerTimeoutTests
{
    static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Client_stalling_mid_headers_is_dropped_after_the_header_timeout()
    {
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { HeaderTimeout = Short });
        var clock = Stopwatch.StartNew(); // the server's clock starts later, at accept
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /health HTTP/1.1\r\nHo");
        await client.AssertClosedAsync(Bound);
        Assert.True(clock.Elapsed >= Short - TimeSpan.FromMilliseconds(20), $"closed after {clock.Elapsed}");
    }

    [Fact]
    public async Task Trickled_headers_do_not_reset_the_header_timeout()
    {
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { HeaderTimeout = Short });
        await using var client = await server.ConnectAsync();
        var closed = client.AssertClosedAsync(Bound); // fails if a response arrives instead
        // One byte every 100 ms finishes the head after 3.5 s, long after the 300 ms the client has in total.
        foreach (char c in "GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        {
            try { await client.SendAsync(c.ToString()); }
            catch (System.Net.Sockets.SocketException) { break; }
            if (await Task.WhenAny(closed, Task.Delay(100)) == closed)
                break;
        }
        await closed;
    }

    [Fact]
    public async Task Connection_that_sends_nothing_is_dropped_after_the_header_timeout()
    {
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { HeaderTimeout = Short, KeepAliveTimeout = TimeSpan.FromMinutes(5) });
        await using var client = await server.ConnectAsync();
        await client.AssertClosedAsync(Bound);
    }

    [Fact]
    public async Task Stalled_body_upload_is_dropped_after_the_header_timeout()
    {
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { HeaderTimeout = Short });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part");
        await client.AssertClosedAsync(Bound);
    }

    [Fact]
    public async Task Idle_keep_alive_connection_closes_after_the_keep_alive_timeout()
    {
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { KeepAliveTimeout = Short });
        await using var client = await server.ConnectAsync();
        var clock = Stopwatch.StartNew(); // the server's clock starts later, once the response is out
        Assert.Equal(200, (await client.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")).Status);
        await client.AssertClosedAsync(Bound);
        Assert.True(clock.Elapsed >= Short - TimeSpan.FromMilliseconds(20), $"closed after {clock.Elapsed}");
    }

    [Fact]
    public async Task Keep_alive_timeout_counts_idle_time_not_connection_age()
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { KeepAliveTimeout = timeout });
        await using var client = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout * 2.5)
        {
            Assert.Equal(200, (await client.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")).Status);
            await Task.Delay(timeout / 5); // pacing well inside the timeout, not synchronisation
        }
    }

    [Fact]
    public async Task Three_hundred_stalled_connections_do_not_delay_a_health_check()
    {
        await using var server = await TestServer.StartAsync();
        var stalled = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            var c = await server.ConnectAsync();
            await c.SendAsync((i % 3) switch
            {
                0 => "GET /health HTTP/1.1\r\nHost: t\r\nX-Slow",
                1 => "POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nabc",
                _ => "POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n",
            });
            return c;
        }));
        try
        {
            var clock = Stopwatch.StartNew();
            var r = await server.GetHealthAsync();
            Assert.Equal(200, r.Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"/health took {clock.Elapsed}");
        }
        finally
        {
            foreach (var c in stalled)
                await c.DisposeAsync();
        }
    }
}
