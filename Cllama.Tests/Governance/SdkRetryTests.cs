using System.ClientModel;
using System.Net;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Cllama.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Cllama.Tests.Governance;

/// <summary>
/// What the official .NET SDKs do with the budget 429, counted at the proxy (request log lines) and the provider.
/// A refusal never reaches the provider, so a retry costs nothing; whether the SDK retries at all differs.
/// </summary>
public class SdkRetryTests
{
    /// <summary>
    /// 429s the proxy answered: counted before each answer is sent, so final once the SDK call has returned.
    /// </summary>
    static double Refusals(ProxyFixture f) =>
        PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(f.App.Services.Governance.MetricsText(f.App.Services.Agents.All)))
            .Where(s => s.Name == "cllama_requests_total" && s["status"] == "429").Sum(s => s.Number);

    const string Exhausted = """{"defaults":{"budget":{"limit_usd":0,"window":"total"}}}""";

    [Fact]
    public async Task The_anthropic_sdk_honours_x_should_retry_and_asks_once()
    {
        await using var f = await Governed.StartAsync(Exhausted);
        string token = await f.AddAgentAsync("tiverton");
        var client = new Anthropic.AnthropicClient { ApiKey = token, BaseUrl = $"http://127.0.0.1:{f.App.ApiEndPoint.Port}" };

        var e = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "fakeant/claude-test",
            MaxTokens = 10,
            Messages = [new UserMessageParam { Content = "hi" }],
        }));
        Assert.Contains("budget_exceeded", e.Message);
        Assert.Equal(1, Refusals(f));
        Assert.Empty(f.Upstream.Seen);
    }

    /// <summary>
    /// OpenAI's .NET SDK (System.ClientModel's retry policy) ignores <c>x-should-retry</c> and retries any 429 three
    /// times, waiting at least its Retry-After. With a total budget there is no Retry-After, so it gives up within
    /// seconds; the three retries are refused by the proxy and none reaches the provider.
    /// </summary>
    [Fact]
    public async Task The_openai_sdk_retries_the_429_but_no_retry_reaches_the_provider()
    {
        await using var f = await Governed.StartAsync(Exhausted);
        string token = await f.AddAgentAsync("tiverton");
        var client = new ChatClient("fake/gpt-test", new ApiKeyCredential(token), new OpenAIClientOptions { Endpoint = f.ApiBase });

        var e = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal((int)HttpStatusCode.TooManyRequests, e.Status);
        Assert.Contains("budget_exceeded", e.Message);
        Assert.Equal(4, Refusals(f));
        Assert.Empty(f.Upstream.Seen);
    }
}
