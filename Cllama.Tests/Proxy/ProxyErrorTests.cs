using System.Net;
using System.Text;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Proxy;

public class ProxyErrorTests
{
    static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(ProxyFixture f, HttpRequestMessage request)
    {
        using var response = await f.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    [Fact]
    public async Task Every_credential_failure_is_the_same_401()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        string body = """{"model":"fake/gpt-4o"}""";
        var bodies = new List<string>();
        foreach (var credential in new[] { null, "garbage", "tiverton:wrong", "nobody:secret", "../etc:x", token + "x", "tiverton" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body) };
            if (credential is not null)
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
            using var response = await f.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Single(bodies.Distinct());
        Assert.Empty(f.Upstream.Seen);
    }

    [Fact]
    public async Task Bad_requests_name_the_problem()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");

        var (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, "{not json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("JSON", error.GetProperty("error").GetProperty("message").GetString());

        (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"messages":[]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("model", error.GetProperty("error").GetProperty("message").GetString());

        (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("provider/model", error.GetProperty("error").GetProperty("message").GetString());

        (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"nope/gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        string message = error.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("'nope'", message);
        Assert.Contains("fake", message);
        Assert.Empty(f.Upstream.Seen);
    }

    [Fact]
    public async Task Messages_route_answers_in_the_anthropic_dialect()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        var (status, error) = await SendAsync(f, f.Post("/v1/messages", token, """{"model":"nope/claude"}""", auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());

        (status, error) = await SendAsync(f, f.Post("/v1/messages", "tiverton:wrong", "{}", auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", error.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Upstream_statuses_map_as_the_contract_says()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");

        f.Upstream.Script = ctx =>
        {
            ctx.Response.Send(429, "application/json", """{"error":{"message":"slow down","type":"rate_limit"}}"""u8, [new("Retry-After", "7")]);
            return Task.CompletedTask;
        };
        using (var r = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}""")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.Equal("""{"error":{"message":"slow down","type":"rate_limit"}}""", await r.Content.ReadAsStringAsync());
            Assert.Equal("7", r.Headers.GetValues("Retry-After").Single());
        }

        f.Upstream.Script = ctx =>
        {
            ctx.Response.Send(401, "application/json", """{"error":{"message":"bad key sk-real"}}"""u8);
            return Task.CompletedTask;
        };
        var (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("provider 'fake' rejected the configured API key", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unreachable_provider_is_502_and_missing_key_is_503()
    {
        await using var f = await ProxyFixture.StartAsync(extraProviders: new()
        {
            ["dead"] = """{"base_url":"http://127.0.0.1:1/v1","api_key":"sk-dead-000000000000","auth":"bearer"}""",
            ["keyless"] = """{"base_url":"http://127.0.0.1:1/v1","auth":"bearer"}""",
        });
        string token = await f.AddAgentAsync("tiverton");
        var (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"dead/gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("unreachable", error.GetProperty("error").GetProperty("message").GetString());

        (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"keyless/gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("'keyless'", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Silent_provider_is_504_after_the_first_byte_timeout()
    {
        await using var f = await ProxyFixture.StartAsync(c => c with { FirstByteTimeout = TimeSpan.FromMilliseconds(300) });
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = ctx => Task.Delay(Timeout.Infinite, ctx.ClientGone).ContinueWith(_ => { });
        var (status, error) = await SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("upstream_timeout", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Wrong_method_under_v1_is_405_with_allow()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var response = await f.Http.GetAsync("/v1/chat/completions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task Request_log_lines_carry_every_contract_field_and_no_secret()
    {
        await using var f = await ProxyFixture.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = ctx =>
        {
            ctx.Response.Send(200, "application/json", """{"usage":{"prompt_tokens":3,"completion_tokens":4}}"""u8);
            return Task.CompletedTask;
        };
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}"""))).Dispose();
        var line = f.Log.Next();
        foreach (var field in new[] { "ts", "request_id", "claw_id", "type", "model", "provider", "upstream_model", "stream",
                     "latency_ms", "ttfb_ms", "status_code", "tokens_in", "tokens_out", "cached_tokens", "cost_usd", "cost_source", "intervention" })
            Assert.True(line.TryGetProperty(field, out _), field);
        Assert.Equal("tiverton", line.GetProperty("claw_id").GetString());
        Assert.Equal("response", line.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("intervention").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.GetProperty("ts").GetString());
        string all = string.Join("\n", f.Log.Lines);
        Assert.DoesNotContain(token.Split(':')[1], all);
        Assert.DoesNotContain(ProxyFixture.UpstreamKey, all);
    }
}
