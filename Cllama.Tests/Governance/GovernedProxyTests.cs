using System.Net;
using System.Text;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

public class GovernedProxyTests
{
    [Fact]
    public async Task A_model_outside_the_allowlist_is_403_in_the_route_dialect()
    {
        await using var f = await Governed.StartAsync("""{"agents":{"tiverton":{"models":["fake/gpt-test","fakeant/claude-*"]}}}""");
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Governed.ChatReply(10, 5);

        var (response, body) = await Governed.SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Contains("'fake/gpt-4o'", error.GetProperty("message").GetString());
        Assert.Contains("fake/gpt-test, fakeant/claude-*", error.GetProperty("message").GetString());
        Assert.Equal(["fake/gpt-test", "fakeant/claude-*"], error.GetProperty("allowed_models").EnumerateArray().Select(e => e.GetString()!));

        // /v1/messages: a bare model is anthropic/<model>, and the refusal speaks Anthropic.
        (response, body) = await Governed.SendAsync(f, f.Post("/v1/messages", token, """{"model":"claude-test","max_tokens":5}""", auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("permission_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("'anthropic/claude-test'", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(f.Upstream.Seen);
        Assert.Equal(403, f.Log.Next().GetProperty("status_code").GetInt32());

        f.Upstream.Script = Governed.MessagesReply(10, 5);
        using var allowed = await f.Http.SendAsync(f.Post("/v1/messages", token, """{"model":"fakeant/claude-test","max_tokens":5}""", auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Single(f.Upstream.Seen);
    }

    [Fact]
    public async Task Under_a_budget_an_unpriced_model_is_refused_and_a_free_one_is_not()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("tiverton", ""","budget":{"limit_usd":0,"window":"24h"}""");
        f.Upstream.Script = Governed.ChatReply(10, 5);

        var (response, body) = await Governed.SendAsync(f, f.Post("/v1/chat/completions", token, """{"model":"fake/mystery-model"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("model_unpriced", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("pricing.json", body.GetProperty("error").GetProperty("message").GetString());

        using var free = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/local"}"""));
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.Single(f.Upstream.Seen);
    }

    [Fact]
    public async Task Over_budget_is_429_with_the_figures_in_both_dialects()
    {
        await using var f = await Governed.StartAsync("""{"defaults":{"budget":{"limit_usd":1.5,"window":"total"}}}""");
        string token = await f.AddAgentAsync("tiverton");
        string chat = """{"model":"fake/gpt-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";
        decimal worst = Governed.WorstCase(chat, 10);
        f.Upstream.Script = Governed.ChatReply(500, 10); // $0.52, within the bound
        for (int i = 0; i < 2; i++)
        {
            using var ok = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, chat));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var (response, body) = await Governed.SendAsync(f, f.Post("/v1/chat/completions", token, chat));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("false", Governed.Header(response, "x-should-retry"));
        Assert.Null(response.Headers.RetryAfter); // a total budget never frees up
        var error = body.GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(1.5m, error.GetProperty("limit_usd").GetDecimal());
        Assert.Equal(1.04m, error.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(worst, error.GetProperty("needed_usd").GetDecimal());
        Assert.Equal("total", error.GetProperty("window").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("resets_at").ValueKind);
        Assert.Contains("spent $1.04 of $1.5", error.GetProperty("message").GetString());

        string messages = """{"model":"fakeant/claude-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";
        (response, body) = await Governed.SendAsync(f, f.Post("/v1/messages", token, messages, auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("false", Governed.Header(response, "x-should-retry"));
        Assert.Equal("error", body.GetProperty("type").GetString());
        error = body.GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("type").GetString());
        Assert.Equal(1.5m, error.GetProperty("limit_usd").GetDecimal());
        Assert.Equal(1.04m, error.GetProperty("spent_usd").GetDecimal());
        Assert.Equal("total", error.GetProperty("window").GetString());
        Assert.True(error.TryGetProperty("resets_at", out _));
        Assert.Equal(2, f.Upstream.Seen.Count);
    }

    [Fact]
    public async Task A_rolling_window_429_says_when_spend_frees_up()
    {
        await using var f = await Governed.StartAsync("""{"defaults":{"budget":{"limit_usd":0.8,"window":"24h"}}}""");
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Governed.ChatReply(300, 10); // $0.32
        string chat = """{"model":"fake/gpt-test","max_tokens":10}""";
        var spentAt = DateTimeOffset.UtcNow;
        using (var ok = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, chat)))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var (response, body) = await Governed.SendAsync(f, f.Post("/v1/chat/completions", token, chat));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var resets = DateTimeOffset.Parse(body.GetProperty("error").GetProperty("resets_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resets - spentAt, TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(24) + TimeSpan.FromSeconds(61));
        double retryAfter = response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, (resets - DateTimeOffset.UtcNow).TotalSeconds - 5, (resets - spentAt).TotalSeconds + 1);
        Assert.Equal("24h", body.GetProperty("error").GetProperty("window").GetString());
        Assert.Contains("spend starts freeing up at", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_request_without_an_output_cap_gets_one_that_fits_the_remaining_budget()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("tiverton", ""","budget":{"limit_usd":1,"window":"24h"}""");
        f.Upstream.Script = Governed.ChatReply(100, 10);
        string body = """{"model":"fake/gpt-test","messages":[{"role":"user","content":"write a long story"}]}""";
        decimal input = Governed.WorstCase(body, 0);
        long expected = (long)decimal.Floor((1m - input) / Governed.OutputUsd);

        using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string upstreamBody = Encoding.UTF8.GetString(Assert.Single(f.Upstream.Seen).Body);
        // Spliced in before the closing brace; everything else byte for byte.
        Assert.Equal(body.Replace("fake/gpt-test", "gpt-test")[..^1] + $",\"max_tokens\":{expected}}}", upstreamBody);
        var line = f.Log.Next();
        Assert.Equal("max_tokens_clamped", line.GetProperty("intervention").GetString());

        // A body that sets its own cap is left alone and logged without intervention.
        string capped = """{"model":"fake/gpt-test","max_tokens":50}""";
        using var second = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, capped));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(capped.Replace("fake/gpt-test", "gpt-test"), Encoding.UTF8.GetString(f.Upstream.Seen.Last().Body));
        Assert.Equal(JsonValueKind.Null, f.Log.Next().GetProperty("intervention").ValueKind);
    }

    [Fact]
    public async Task Proxied_responses_carry_the_proxy_overhead()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Governed.ChatReply(5, 5);
        using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-test"}"""));
        string overhead = Assert.Single(response.Headers.GetValues("x-cllama-overhead-ms"));
        double ms = double.Parse(overhead, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ms, 0, 5000);
    }

    [Fact]
    public async Task A_policy_json_edit_applies_to_the_next_requests()
    {
        await using var f = await Governed.StartAsync("""{"defaults":{"models":["fake/gpt-test"]}}""");
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = Governed.ChatReply(5, 5);
        string other = """{"model":"fake/other"}""";
        using (var refused = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, other)))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        string tmp = Path.Combine(f.AuthDir, "policy.json.tmp");
        File.WriteAllText(tmp, """{"defaults":{"models":["fake/*"]}}""");
        File.Move(tmp, Path.Combine(f.AuthDir, "policy.json"), overwrite: true);
        await ProxyFixture.WaitUntilAsync(() =>
            f.App.Services.Governance.Policy.Resolve(f.App.Services.Agents.All.Single()).Models!.Patterns[0] == "fake/*", "policy reload", 3000);
        using var allowed = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, other));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
