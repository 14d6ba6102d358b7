using System.Text;
using Cllama.App;

namespace Cllama.Tests.Http;

/// <summary>The protocol features of CONTRACT §4a, over raw loopback sockets against a real server.</summary>
public class HttpServerTests
{
    const string Health = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

    static string Echo(int i) => $"GET /v1/echo?i={i} HTTP/1.1\r\nHost: test\r\n\r\n";

    [Fact]
    public async Task Health_answers_200_ok_json()
    {
        await using var server = await TestServer.StartAsync();
        var r = await server.GetHealthAsync();
        Assert.Equal("HTTP/1.1", r.Version);
        Assert.Equal(200, r.Status);
        Assert.Equal("OK", r.Reason);
        Assert.Equal("application/json", r.Header("Content-Type"));
        Assert.Equal("""{"ok":true}""", r.Text);
        Assert.NotNull(r.Header("Date"));
        Assert.Null(r.Header("Connection"));
    }

    [Fact]
    public async Task Unknown_path_is_404_and_wrong_method_405_as_json()
    {
        await using var server = await TestServer.StartAsync(new ApiHandler(new TestHandler()));
        await using var client = await server.ConnectAsync();
        var notFound = await client.SendAndReadAsync("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(404, notFound.Status);
        Assert.Equal("not_found", notFound.Json.GetProperty("error").GetProperty("code").GetString());
        var wrongMethod = await client.SendAndReadAsync("POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(405, wrongMethod.Status);
        Assert.Equal("GET, HEAD", wrongMethod.Header("Allow"));
    }

    [Fact]
    public async Task Hundreds_of_requests_on_one_keep_alive_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        for (int i = 0; i < 500; i++)
        {
            var r = await client.SendAndReadAsync(i % 2 == 0 ? Health : Echo(i));
            Assert.Equal(200, r.Status);
            if (i % 2 == 1)
                Assert.Equal($"?i={i}", r.Json.GetProperty("query").GetString());
        }
    }

    [Fact]
    public async Task Fifty_pipelined_requests_in_one_write_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync(string.Concat(Enumerable.Range(0, 50).Select(Echo)));
        for (int i = 0; i < 50; i++)
        {
            var r = await client.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.Equal($"?i={i}", r.Json.GetProperty("query").GetString());
        }
    }

    [Fact]
    public async Task Pipelined_request_still_arriving_does_not_hold_back_the_answer_to_the_previous_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync(Echo(1) + "GET /v1/echo?i=2 HTTP/1.1\r\nHo");
        Assert.Equal("?i=1", (await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3))).Json.GetProperty("query").GetString());
        await client.SendAsync("st: test\r\n\r\n");
        Assert.Equal("?i=2", (await client.ReadResponseAsync()).Json.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Content_length_body_is_read_whole()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var body = new string('x', 100_000);
        var r = await client.SendAndReadAsync($"POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        Assert.Equal(100_000, r.Json.GetProperty("length").GetInt32());
        Assert.Equal(body, r.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Chunked_body_with_extensions_and_trailers_is_decoded()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var r = await client.SendAndReadAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
        Assert.Equal(200, r.Status);
        Assert.Equal("hello world", r.Json.GetProperty("body").GetString());
        Assert.Equal(200, (await client.SendAndReadAsync(Health)).Status);
    }

    [Fact]
    public async Task Chunked_body_sent_a_few_bytes_at_a_time_is_decoded()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var expected = new StringBuilder();
        var framed = new StringBuilder("POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 1; i <= 40; i++)
        {
            var data = new string((char)('a' + i % 26), i * 37);
            expected.Append(data);
            framed.Append($"{data.Length:x}\r\n{data}\r\n");
        }
        framed.Append("0\r\n\r\n");
        var bytes = Encoding.Latin1.GetBytes(framed.ToString());
        for (int at = 0; at < bytes.Length; at += 97)
            await client.SendAsync(bytes.AsMemory(at, Math.Min(97, bytes.Length - at)));
        Assert.Equal(expected.ToString(), (await client.ReadResponseAsync()).Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Request_pipelined_after_a_chunked_body_is_answered()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Echo(7));
        Assert.Equal("abc", (await client.ReadResponseAsync()).Json.GetProperty("body").GetString());
        Assert.Equal("?i=7", (await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3))).Json.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_before_the_body_is_sent()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var interim = await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(100, interim.Status);
        Assert.Equal("Continue", interim.Reason);
        await client.SendAsync("hello");
        var r = await client.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.Equal("hello", r.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Expect_100_continue_with_a_chunked_body()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(100, (await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3))).Status);
        var r = await client.SendAndReadAsync("2\r\nhi\r\n0\r\n\r\n");
        Assert.Equal("hi", r.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Http10_request_is_served_and_closed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var r = await client.SendAndReadAsync("GET /health HTTP/1.0\r\n\r\n");
        Assert.Equal("HTTP/1.0", r.Version);
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"ok":true}""", r.Text);
        Assert.True(r.ConnectionClose);
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Http10_keep_alive_is_honoured()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        for (int i = 0; i < 3; i++)
        {
            var r = await client.SendAndReadAsync("GET /v1/echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.Equal("HTTP/1.0", r.Version);
            Assert.Equal("keep-alive", r.Header("Connection"));
            Assert.Equal("1.0", r.Json.GetProperty("version").GetString());
        }
    }

    [Fact]
    public async Task Http10_streamed_response_is_close_delimited()
    {
        var handler = new TestHandler();
        await using var server = await TestServer.StartAsync(new ApiHandler(handler));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /v1/stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var head = await client.ReadResponseAsync(bodyless: true);
        Assert.True(head.ConnectionClose);
        Assert.False(head.Chunked);
        Assert.Null(head.Header("Content-Length"));
    }

    [Fact]
    public async Task Connection_close_is_honoured()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var r = await client.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, r.Status);
        Assert.True(r.ConnectionClose);
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Head_gets_headers_without_a_body_and_the_connection_stays_usable()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var head = await client.SendAndReadAsync("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n", bodyless: true);
        Assert.Equal(200, head.Status);
        Assert.Equal("11", head.Header("Content-Length"));
        Assert.Equal("""{"ok":true}""", (await client.SendAndReadAsync(Health)).Text);
    }

    [Fact]
    public async Task Many_clients_at_once_each_get_their_own_answers()
    {
        await using var server = await TestServer.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(async c =>
        {
            await using var client = await server.ConnectAsync();
            for (int i = 0; i < 20; i++)
                Assert.Equal($"?i={c * 100 + i}", (await client.SendAndReadAsync(Echo(c * 100 + i))).Json.GetProperty("query").GetString());
        }));
    }
}
