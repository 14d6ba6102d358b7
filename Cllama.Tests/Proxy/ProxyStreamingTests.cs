using System.Net;
using System.Net.Sockets;
using System.Text;
using Cllama.Tests.Support;

namespace Cllama.Tests.Proxy;

public class ProxyStreamingTests
{
    static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");

    const string Chunk1 = """{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}]}""";
    const string Chunk2 = """{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""";
    const string UsageChunk = """{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""";

    [Fact]
    public async Task First_event_reaches_the_client_before_the_provider_produces_the_second()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        var secondMayGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Upstream.Script = async ctx =>
        {
            ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream")], null);
            await ctx.Response.WriteAndFlushAsync(Event(Chunk1));
            await secondMayGo.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await ctx.Response.WriteAndFlushAsync(Event(Chunk2));
            await ctx.Response.WriteAndFlushAsync(Event(UsageChunk));
            await ctx.Response.WriteAndFlushAsync("data: [DONE]\n\n"u8.ToArray());
            ctx.Response.Complete();
        };
        using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o","stream":true}"""),
            HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var reader = new StreamReader(stream);
        Assert.Equal("data: " + Chunk1, await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        secondMayGo.SetResult();
        string rest = await reader.ReadToEndAsync();
        // The usage chunk the proxy asked for is metered but withheld: the client sees what it would have going direct.
        Assert.Equal("\ndata: " + Chunk2 + "\n\ndata: [DONE]\n\n", rest);
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", Encoding.UTF8.GetString(Assert.Single(f.Upstream.Seen).Body));
        var line = f.Log.Next();
        Assert.Equal(12, line.GetProperty("tokens_in").GetInt64());
        Assert.Equal(2, line.GetProperty("tokens_out").GetInt64());
        Assert.True(line.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Client_that_asked_for_usage_gets_the_usage_chunk()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = async ctx =>
        {
            ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream")], null);
            await ctx.Response.WriteAndFlushAsync(Event(Chunk1).Concat(Event(UsageChunk)).Concat("data: [DONE]\n\n"u8.ToArray()).ToArray());
            ctx.Response.Complete();
        };
        string body = """{"model":"fake/gpt-4o","stream":true,"stream_options":{"include_usage":true}}""";
        using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, body));
        Assert.Contains(UsageChunk, await response.Content.ReadAsStringAsync());
        Assert.Equal(body.Replace("fake/gpt-4o", "gpt-4o"), Encoding.UTF8.GetString(Assert.Single(f.Upstream.Seen).Body));
    }

    [Fact]
    public async Task Upstream_dying_mid_stream_cuts_the_client_response()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = async ctx =>
        {
            ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream")], null);
            await ctx.Response.WriteAndFlushAsync(Event(Chunk1));
            ctx.Response.Abort(); // the connection is reset without the terminating chunk
        };
        using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o","stream":true}"""),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync();
        await Assert.ThrowsAnyAsync<IOException>(async () => await new StreamReader(stream).ReadToEndAsync());
        var line = f.Log.Next();
        Assert.Equal("error", line.GetProperty("type").GetString());
        Assert.True(line.GetProperty("partial").GetBoolean());
    }

    [Fact]
    public async Task Client_leaving_mid_stream_cancels_the_upstream_call_within_a_second()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = async ctx =>
        {
            ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream")], null);
            await ctx.Response.WriteAndFlushAsync(Event(Chunk1));
            await Task.Delay(Timeout.Infinite, ctx.ClientGone).ContinueWith(_ => { });
        };
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, f.App.ApiEndPoint.Port);
        var s = client.GetStream();
        string body = """{"model":"fake/gpt-4o","stream":true}""";
        await s.WriteAsync(Encoding.ASCII.GetBytes($"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        var buffer = new byte[4096];
        int got = 0;
        while (!Encoding.ASCII.GetString(buffer, 0, got).Contains("Hel"))
            got += await s.ReadAsync(buffer.AsMemory(got));
        client.Close();
        await f.Upstream.UpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(1));
        var line = f.Log.Next();
        Assert.True(line.GetProperty("partial").GetBoolean());
    }

    [Fact]
    public async Task Anthropic_stream_usage_with_cache_tokens_is_metered()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("westin");
        f.Upstream.Script = async ctx =>
        {
            ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream")], null);
            await ctx.Response.WriteAndFlushAsync(Encoding.UTF8.GetBytes(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":50,\"cache_creation_input_tokens\":10,\"output_tokens\":1}}}\n\n" +
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n" +
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":42}}\n\n" +
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
            ctx.Response.Complete();
        };
        using var response = await f.Http.SendAsync(f.Post("/v1/messages", token, """{"model":"fakeant/claude-sonnet-4","stream":true,"max_tokens":50}""", auth: "x-api-key"));
        Assert.Contains("message_stop", await response.Content.ReadAsStringAsync());
        var line = f.Log.Next();
        Assert.Equal(160, line.GetProperty("tokens_in").GetInt64());
        Assert.Equal(42, line.GetProperty("tokens_out").GetInt64());
        Assert.Equal(50, line.GetProperty("cached_tokens").GetInt64());
    }
}
