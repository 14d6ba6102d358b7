using Cllama.Http;

namespace Cllama.Tests.Http;

/// <summary>Limits at the boundary and one past over a real socket; every refusal is a JSON error and a closed connection.</summary>
public class HttpServerLimitTests
{
    static readonly HttpLimits SmallBody = new() { MaxBodyBytes = 1000 };

    static async Task AssertRefusedAndClosedAsync(RawClient client, int status, string? code = null)
    {
        var r = await client.ReadResponseAsync();
        Assert.Equal(status, r.Status);
        Assert.True(r.ConnectionClose);
        var error = r.Json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (code is not null)
            Assert.Equal(code, error.GetProperty("code").GetString());
        await client.AssertClosedAsync();
    }

    static string EchoLine(int length) => "GET /v1/echo?" + new string('q', length - 24) + " HTTP/1.1\r\n";

    [Fact]
    public async Task Request_line_of_8_KiB_is_served_and_one_byte_more_is_414()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await server.ConnectAsync())
        {
            var r = await client.SendAndReadAsync(EchoLine(8192) + "Host: t\r\n\r\n");
            Assert.Equal(200, r.Status);
            Assert.Equal(8192 - 24 + 1, r.Json.GetProperty("query").GetString()!.Length);
        }
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync(EchoLine(8193) + "Host: t\r\n\r\n");
            await AssertRefusedAndClosedAsync(client, 414, nameof(HttpRejection.RequestLineTooLong));
        }
    }

    [Fact]
    public async Task Endless_request_line_is_414_without_waiting_for_its_end()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /" + new string('a', 9000));
        await AssertRefusedAndClosedAsync(client, 414);
    }

    [Fact]
    public async Task Header_block_of_64_KiB_is_served_and_one_byte_more_is_431()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await server.ConnectAsync())
            Assert.Equal(200, (await client.SendAndReadAsync("GET /health HTTP/1.1\r\n" + Http1ParserLimitTests.HeaderBlock(65536))).Status);
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /health HTTP/1.1\r\n" + Http1ParserLimitTests.HeaderBlock(65537));
            await AssertRefusedAndClosedAsync(client, 431, nameof(HttpRejection.HeadersTooLarge));
        }
    }

    [Fact]
    public async Task One_hundred_header_fields_are_served_and_101_are_431()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await server.ConnectAsync())
            Assert.Equal(200, (await client.SendAndReadAsync("GET /health HTTP/1.1\r\n" + Http1ParserLimitTests.Headers(100))).Status);
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /health HTTP/1.1\r\n" + Http1ParserLimitTests.Headers(101));
            await AssertRefusedAndClosedAsync(client, 431, nameof(HttpRejection.TooManyHeaders));
        }
    }

    [Fact]
    public async Task Body_at_the_limit_is_served_and_one_byte_more_is_413_from_the_headers_alone()
    {
        await using var server = await TestServer.StartAsync(limits: SmallBody);
        await using (var client = await server.ConnectAsync())
        {
            var r = await client.SendAndReadAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + new string('b', 1000));
            Assert.Equal(1000, r.Json.GetProperty("length").GetInt32());
        }
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n"); // no body is ever sent
            await AssertRefusedAndClosedAsync(client, 413, nameof(HttpRejection.BodyTooLarge));
        }
    }

    [Fact]
    public async Task Expect_continue_over_the_limit_gets_413_instead_of_100()
    {
        await using var server = await TestServer.StartAsync(limits: SmallBody);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
        await AssertRefusedAndClosedAsync(client, 413);
    }

    [Fact]
    public async Task Chunked_body_at_the_limit_is_served_and_one_byte_more_is_413()
    {
        await using var server = await TestServer.StartAsync(limits: SmallBody);
        const string head = "POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
        await using (var client = await server.ConnectAsync())
        {
            var r = await client.SendAndReadAsync(head + "1f4\r\n" + new string('c', 500) + "\r\n1f4\r\n" + new string('d', 500) + "\r\n0\r\n\r\n");
            Assert.Equal(1000, r.Json.GetProperty("length").GetInt32());
        }
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync(head + "1f4\r\n" + new string('c', 500) + "\r\n1f5\r\n"); // refused at the size line, before its data
            await AssertRefusedAndClosedAsync(client, 413);
        }
    }

    [Fact]
    public async Task Client_that_sends_a_refused_body_anyway_still_reads_the_413()
    {
        await using var server = await TestServer.StartAsync(limits: SmallBody);
        for (int i = 0; i < 5; i++)
        {
            await using var client = await server.ConnectAsync();
            var body = new byte[4 * 1024 * 1024];
            var sending = Task.Run(async () =>
            {
                await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4194304\r\n\r\n");
                try { await client.SendAsync(body); }
                catch (System.Net.Sockets.SocketException) { } // the server may stop reading once it has answered
            });
            var r = await client.ReadResponseAsync();
            Assert.Equal(413, r.Status);
            await sending;
        }
    }

    [Fact]
    public async Task Refusal_lingers_so_a_client_still_sending_sees_an_orderly_close_not_a_reset()
    {
        await using var server = await TestServer.StartAsync(limits: SmallBody);
        await using var client = await server.ConnectAsync();
        var sending = Task.Run(async () =>
        {
            await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2097152\r\n\r\n");
            await client.SendAsync(new byte[2 * 1024 * 1024]);
            client.ShutdownSend();
        });
        Assert.Equal(413, (await client.ReadResponseAsync()).Status);
        await sending.WaitAsync(RawClient.DefaultTimeout); // no reset while the body was still going out
        await client.AssertClosedAsync(allowReset: false);
    }

    [Fact]
    public async Task Refused_upload_that_fills_the_input_pipe_does_not_leave_its_connection_behind()
    {
        var server = await TestServer.StartAsync(limits: SmallBody);
        await using var _ = server;
        await using var client = await server.ConnectAsync();
        var sending = Task.Run(async () =>
        {
            try
            {
                await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4194304\r\n\r\n");
                await client.SendAsync(new byte[4 * 1024 * 1024]); // never closed: the client just stops
            }
            catch (System.Net.Sockets.SocketException) { }
        });
        Assert.Equal(413, (await client.ReadResponseAsync()).Status);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.StopAsync(TimeSpan.FromSeconds(30)).WaitAsync(RawClient.DefaultTimeout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop waited {clock.Elapsed} for a refused connection");
        await sending.WaitAsync(RawClient.DefaultTimeout);
    }

    [Fact]
    public async Task Claimed_length_is_not_allocated_before_the_bytes_arrive()
    {
        await using var server = await TestServer.StartAsync(limits: new HttpLimits { MaxBodyBytes = 1L << 30 });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < 4; i++)
        {
            await using var client = await server.ConnectAsync();
            await client.SendAsync("POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 268435456\r\n\r\nonly this");
            client.ShutdownSend();
            Assert.Equal(400, (await client.ReadResponseAsync()).Status); // the server has read the head and the body it got
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 256L << 20, $"{allocated >> 20} MiB allocated for four stalled 256 MiB claims");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\nHost: t\n\n", 400, nameof(HttpRejection.InvalidLineEnding))]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400, nameof(HttpRejection.MissingHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n", 400, nameof(HttpRejection.ControlCharacter))]
    [InlineData("GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n", 400, nameof(HttpRejection.ObsoleteLineFolding))]
    [InlineData("GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400, nameof(HttpRejection.InvalidHeaderName))]
    [InlineData("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400, nameof(HttpRejection.ContentLengthWithTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", 400, nameof(HttpRejection.ConflictingContentLength))]
    [InlineData("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505, nameof(HttpRejection.UnsupportedVersion))]
    [InlineData("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501, nameof(HttpRejection.UnsupportedTransferCoding))]
    [InlineData("POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400, nameof(HttpRejection.BadChunk))]
    [InlineData("POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, nameof(HttpRejection.BadChunk))]
    public async Task Malformed_requests_get_their_status_and_the_connection_closes(string raw, int status, string code)
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync(raw);
            await AssertRefusedAndClosedAsync(client, status, code);
        }
        Assert.Equal(200, (await server.GetHealthAsync()).Status);
        Assert.Empty(server.Log.Errors);
    }

    [Fact]
    public async Task Refusal_after_good_requests_on_the_same_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")).Status);
        await client.SendAsync("GET /health HTTP/1.1\r\nHost: t\r\n\r\nBROKEN\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        await AssertRefusedAndClosedAsync(client, 400, nameof(HttpRejection.MalformedRequestLine));
    }

    [Fact]
    public async Task End_of_input_mid_head_or_mid_body_is_400_and_between_requests_a_clean_close()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var partial in new[] { "GET /health HTTP/1.1\r\nHost:", "POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc",
                     "POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab" })
        {
            await using var client = await server.ConnectAsync();
            await client.SendAsync(partial);
            client.ShutdownSend();
            await AssertRefusedAndClosedAsync(client, 400, nameof(HttpRejection.UnexpectedEnd));
        }
        await using (var client = await server.ConnectAsync())
        {
            Assert.Equal(200, (await client.SendAndReadAsync("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")).Status);
            client.ShutdownSend();
            await client.AssertClosedAsync();
        }
    }
}
