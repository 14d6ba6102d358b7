using System.Net;
using System.Text;
using Cllama.Tests.Support;

namespace Cllama.Tests.Dashboard;

/// <summary>Real proxied requests through the fixture's fake upstream, so the dashboard has spend to show.</summary>
public static class DashboardTraffic
{
    /// <summary>Prices for the fake providers' models (USD per million tokens).</summary>
    public const string Pricing = """
        {"models":{"fake/gpt-4o":{"input":2.5,"output":10},"fake/gpt-4o-mini":{"input":0.15,"output":0.6},
                   "fakeant/claude-sonnet-4":{"input":3,"output":15}}}
        """;

    public static Task<ProxyFixture> StartAsync(Func<Cllama.Config.ProxyConfig, Cllama.Config.ProxyConfig>? configure = null) =>
        ProxyFixture.StartAsync(configure, pricingJson: Pricing);

    /// <summary>Answers OpenAI chat requests with usage; Anthropic messages requests with Anthropic usage.</summary>
    public static void ScriptUpstream(ProxyFixture f, int promptTokens = 1200, int completionTokens = 300) =>
        f.Upstream.Script = ctx =>
        {
            string body = ctx.Request.Path.EndsWith("/messages", StringComparison.Ordinal)
                ? $$$"""{"type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":{{{promptTokens}}},"output_tokens":{{{completionTokens}}}}}"""
                : $$$"""{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":{{{completionTokens}}},"total_tokens":{{{promptTokens + completionTokens}}}}}""";
            ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(body));
            return Task.CompletedTask;
        };

    public static async Task ChatAsync(ProxyFixture f, string token, string model, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token,
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public static async Task MessagesAsync(ProxyFixture f, string token, string model)
    {
        using var response = await f.Http.SendAsync(f.Post("/v1/messages", token,
            $$"""{"model":"{{model}}","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""", auth: "x-api-key"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The demo's pod: three agents on three models, one of them unpriced.</summary>
    public static async Task TradingDeskAsync(ProxyFixture f)
    {
        ScriptUpstream(f);
        string tiverton = await f.AddAgentAsync("tiverton");
        string westin = await f.AddAgentAsync("westin");
        string allen = await f.AddAgentAsync("allen");
        await ChatAsync(f, tiverton, "fake/gpt-4o", 3);
        await ChatAsync(f, tiverton, "fake/gpt-4o-mini", 2);
        await MessagesAsync(f, westin, "fakeant/claude-sonnet-4");
        await ChatAsync(f, westin, "fake/gpt-4o", 1);
        await ChatAsync(f, allen, "fakenone/llama-local", 2);
        await ChatAsync(f, allen, "fake/gpt-4o-mini", 1);
    }
}
