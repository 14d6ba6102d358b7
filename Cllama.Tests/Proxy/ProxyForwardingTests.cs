using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Proxy;

public class ProxyForwardingTests
{
    const string ChatJson = """{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}}""";

    static Func<Cllama.Http.HttpContext, Task> Json(string body, int status = 200) => ctx =>
    {
        ctx.Response.Send(status, "application/json", Encoding.UTF8.GetBytes(body));
        return Task.CompletedTask;
    };

    [Fact]
    public async Task Bearer_provider_gets_the_real_key_and_never_the_agent_secret()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Json(ChatJson);
        string body = """{"messages":[{"role":"user","content":"caf\u00e9 \"q\""}],"model":"fake/gpt-4o","temperature":0.70,"n":1}""";
        using var request = f.Post("/v1/chat/completions?trace=1", token, body);
        request.Headers.TryAddWithoutValidation("X-Custom", "kept");
        request.Headers.TryAddWithoutValidation("X-Leak", "prefix " + token);
        using var response = await f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ChatJson, await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(f.Upstream.Seen);
        Assert.Equal("/v1/chat/completions", seen.Path);
        Assert.Equal("?trace=1", seen.Query);
        Assert.Equal("Bearer " + ProxyFixture.UpstreamKey, seen.Header("authorization"));
        Assert.Equal("kept", seen.Header("x-custom"));
        Assert.Null(seen.Header("x-leak"));
        string secret = token.Split(':')[1];
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains(secret));
        // Byte for byte, except the model value.
        Assert.Equal(body.Replace("\"fake/gpt-4o\"", "\"gpt-4o\""), Encoding.UTF8.GetString(seen.Body));
    }

    [Fact]
    public async Task X_api_key_provider_gets_the_key_and_a_default_anthropic_version()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("westin");
        f.Upstream.Script = Json("""{"type":"message","usage":{"input_tokens":10,"output_tokens":5}}""");
        using var response = await f.Http.SendAsync(f.Post("/v1/messages", token, """{"model":"fakeant/claude-sonnet-4","max_tokens":10,"messages":[]}""", auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(f.Upstream.Seen);
        Assert.Equal(ProxyFixture.AnthropicKey, seen.Header("x-api-key"));
        Assert.Equal("2023-06-01", seen.Header("anthropic-version"));
        Assert.Null(seen.Header("authorization"));
        Assert.Contains("\"model\":\"claude-sonnet-4\"", Encoding.UTF8.GetString(seen.Body));
    }

    [Fact]
    public async Task Client_anthropic_version_is_kept_and_auth_none_sends_no_key()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("allen");
        f.Upstream.Script = Json(ChatJson);
        using var r1 = f.Post("/v1/messages", token, """{"model":"fakeant/claude-x","messages":[]}""");
        r1.Headers.TryAddWithoutValidation("anthropic-version", "2099-01-01");
        (await f.Http.SendAsync(r1)).Dispose();
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fakenone/llama3"}"""))).Dispose();
        var seen = f.Upstream.Seen.ToArray();
        Assert.Equal("2099-01-01", seen[0].Header("anthropic-version"));
        Assert.Null(seen[1].Header("authorization"));
        Assert.Null(seen[1].Header("x-api-key"));
    }

    [Fact]
    public async Task Openrouter_style_model_splits_at_the_first_slash()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Json(ChatJson);
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/anthropic/claude-sonnet-4"}"""))).Dispose();
        Assert.Equal("""{"model":"anthropic/claude-sonnet-4"}""", Encoding.UTF8.GetString(Assert.Single(f.Upstream.Seen).Body));
        var line = f.Log.Next();
        Assert.Equal("fake/anthropic/claude-sonnet-4", line.GetProperty("model").GetString());
        Assert.Equal("fake", line.GetProperty("provider").GetString());
        Assert.Equal("anthropic/claude-sonnet-4", line.GetProperty("upstream_model").GetString());
    }

    [Fact]
    public async Task Gzip_upstream_answer_is_decoded_and_still_metered()
    {
        await using var f = await ProxyFixture.StartAsync(pricingJson: """{"models":{"fake/gpt-4o":{"input":2.5,"output":10}}}""");
        string token = await f.AddAgentAsync("tiverton");
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            z.Write(Encoding.UTF8.GetBytes(ChatJson));
        f.Upstream.Script = ctx =>
        {
            ctx.Response.Send(200, "application/json", gz.ToArray(), [new("Content-Encoding", "gzip")]);
            return Task.CompletedTask;
        };
        using var request = f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}""");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await f.Http.SendAsync(request);
        Assert.Equal(ChatJson, await response.Content.ReadAsStringAsync());
        Assert.Null(Assert.Single(f.Upstream.Seen).Header("accept-encoding"));
        var line = f.Log.Next();
        Assert.Equal(1000, line.GetProperty("tokens_in").GetInt64());
        Assert.Equal(500, line.GetProperty("tokens_out").GetInt64());
        Assert.Equal(0.0075m, line.GetProperty("cost_usd").GetDecimal());
        Assert.Equal("computed", line.GetProperty("cost_source").GetString());
    }

    [Fact]
    public async Task Costs_api_totals_per_agent_and_model()
    {
        await using var f = await ProxyFixture.StartAsync(pricingJson: """{"models":{"fake/gpt-4o":{"input":2.5,"output":10}}}""");
        string a = await f.AddAgentAsync("tiverton");
        string b = await f.AddAgentAsync("westin");
        f.Upstream.Script = Json(ChatJson);
        for (int i = 0; i < 2; i++)
            (await f.Http.SendAsync(f.Post("/v1/chat/completions", a, """{"model":"fake/gpt-4o"}"""))).Dispose();
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", b, """{"model":"fake/unpriced-model"}"""))).Dispose();
        for (int i = 0; i < 3; i++)
            f.Log.Next();

        using var doc = JsonDocument.Parse(await f.CostsJsonAsync());
        var root = doc.RootElement;
        Assert.Equal(0.015m, root.GetProperty("total_cost_usd").GetDecimal());
        Assert.Equal(3, root.GetProperty("total_requests").GetInt64());
        Assert.Equal(1, root.GetProperty("unpriced_requests").GetInt64());
        var model = root.GetProperty("agents").GetProperty("tiverton").GetProperty("models")[0];
        Assert.Equal("fake", model.GetProperty("provider").GetString());
        Assert.Equal("gpt-4o", model.GetProperty("model").GetString());
        Assert.Equal(2000, model.GetProperty("input_tokens").GetInt64());
        Assert.Equal(1000, model.GetProperty("output_tokens").GetInt64());
        Assert.Equal(2, model.GetProperty("requests").GetInt64());
        var westin = root.GetProperty("agents").GetProperty("westin");
        Assert.Equal(1, westin.GetProperty("unpriced_requests").GetInt64());
        Assert.Equal(0m, westin.GetProperty("total_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Agents_added_and_tokens_rotated_on_disk_take_effect_without_restart()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Script = Json(ChatJson);
        string old = await f.AddAgentAsync("tiverton");
        string rotated = "tiverton:" + new string('r', 32);
        f.WriteAgent("tiverton", rotated);
        await ProxyFixture.WaitUntilAsync(() => f.App.Services.Agents.Authenticate("Bearer " + rotated, null).Succeeded, "rotation", 2500);
        using var oldResponse = await f.Http.SendAsync(f.Post("/v1/chat/completions", old, """{"model":"fake/m"}"""));
        using var newResponse = await f.Http.SendAsync(f.Post("/v1/chat/completions", rotated, """{"model":"fake/m"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, oldResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newResponse.StatusCode);
    }

    [Fact]
    public async Task Env_key_beats_the_file_key()
    {
        await using var f = await ProxyFixture.StartAsync(c => c with
        {
            EnvKeys = new Dictionary<string, Cllama.Config.Secret> { ["openai"] = new("sk-from-env-0000000000000") },
        }, extraProviders: new() { ["openai"] = """{"base_url":"http://127.0.0.1:9/v1","api_key":"sk-from-file-000000000000","auth":"bearer"}""" });
        // The fixture writes providers before it can point "openai" at the upstream; an update keeps the file key.
        var providers = f.App.Services.Providers;
        providers.Upsert("openai", f.Upstream.BaseUrl, null, "bearer", "openai");
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Json(ChatJson);
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"openai/gpt-4o"}"""))).Dispose();
        Assert.Equal("Bearer sk-from-env-0000000000000", Assert.Single(f.Upstream.Seen).Header("authorization"));
    }
}
