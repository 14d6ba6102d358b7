using System.Net;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

public class MeEndpointTests
{
    [Fact]
    public async Task An_agent_reads_its_own_budget_and_models()
    {
        await using var f = await Governed.StartAsync("""{"agents":{"tiverton":{"models":["fake/gpt-test","fakeant/*"]}}}""");
        string token = await f.AddAgentAsync("tiverton", ""","budget":{"limit_usd":2,"window":"24h"}""");
        f.Upstream.Script = Governed.ChatReply(200, 50); // $0.30
        var spentAt = DateTimeOffset.UtcNow;
        using (var spend = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-test","max_tokens":50}""")))
            Assert.Equal(HttpStatusCode.OK, spend.StatusCode);

        var (response, me) = await Governed.SendAsync(f, Governed.Get("/v1/me", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tiverton", me.GetProperty("agent").GetString());
        var budget = me.GetProperty("budget");
        Assert.Equal(2m, budget.GetProperty("limit_usd").GetDecimal());
        Assert.Equal("24h", budget.GetProperty("window").GetString());
        Assert.Equal(0.3m, budget.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(0m, budget.GetProperty("reserved_usd").GetDecimal());
        Assert.Equal(1.7m, budget.GetProperty("remaining_usd").GetDecimal());
        // The ledger's rolling windows run in whole minutes: this spend leaves the window 24 h after its minute ends.
        var resets = DateTimeOffset.Parse(budget.GetProperty("resets_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resets - spentAt, TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(24) + TimeSpan.FromSeconds(61));
        Assert.Equal(["fake/gpt-test", "fakeant/*"], me.GetProperty("models").EnumerateArray().Select(m => m.GetString()!));
        // It is not a proxied request: nothing reaches a provider, nothing is logged.
        Assert.Single(f.Upstream.Seen);
    }

    [Fact]
    public async Task Without_a_policy_budget_and_models_are_null()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("westin");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.TryAddWithoutValidation("x-api-key", token);
        var (response, me) = await Governed.SendAsync(f, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("westin", me.GetProperty("agent").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("budget").ValueKind);
        Assert.Equal(JsonValueKind.Null, me.GetProperty("models").ValueKind);
    }

    [Fact]
    public async Task Bad_credentials_get_the_proxy_401_and_other_methods_405()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("tiverton");

        using var proxy401 = await f.Http.SendAsync(f.Post("/v1/chat/completions", "tiverton:wrong", """{"model":"fake/gpt-test"}"""));
        using var me401 = await f.Http.SendAsync(Governed.Get("/v1/me", "tiverton:wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, me401.StatusCode);
        Assert.Equal(await proxy401.Content.ReadAsStringAsync(), await me401.Content.ReadAsStringAsync());

        using var post = await f.Http.SendAsync(f.Post("/v1/me", token, "{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
    }
}
