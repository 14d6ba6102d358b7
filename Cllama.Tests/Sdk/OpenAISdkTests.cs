using System.Text;
using Cllama.Tests.Support;
using OpenAI.Chat;

namespace Cllama.Tests.Sdk;

/// <summary>The OpenAI .NET SDK as the agent, against the in-process proxy: non-streamed chat and embeddings.</summary>
public class OpenAISdkTests
{
    const string Pricing = """{"models":{"fake/gpt-4o":{"input":2.5,"output":10},"fake/text-embedding-3-small":{"input":0.02,"output":0}}}""";

    [Fact]
    public async Task Chat_completion_is_parsed_by_the_sdk_and_metered()
    {
        await using var f = await ProxyFixture.StartAsync(pricingJson: Pricing);
        string token = await f.AddAgentAsync("tiverton");
        f.Upstream.Script = ProviderScripts.OpenAIChat("Bought 10 ACME at market.", promptTokens: 1200, completionTokens: 300);
        var chat = SdkClients.Chat(f.App.ApiEndPoint, token, "fake/gpt-4o");

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("You are a trading agent."), new UserChatMessage("Any trades on ACME?")]);

        Assert.Equal("Bought 10 ACME at market.", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("gpt-4o", completion.Model);
        Assert.Equal(1200, completion.Usage.InputTokenCount);
        Assert.Equal(300, completion.Usage.OutputTokenCount);

        var seen = Assert.Single(f.Upstream.Seen);
        Assert.Equal("/v1/chat/completions", seen.Path);
        Assert.Equal("Bearer " + ProxyFixture.UpstreamKey, seen.Header("Authorization"));
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains(token.Split(':')[1]));
        Assert.Contains("\"model\":\"gpt-4o\"", Encoding.UTF8.GetString(seen.Body));

        // 1200 × $2.5/M + 300 × $10/M
        LogLine.AssertMetered(f.Log.Next(), "tiverton", "fake/gpt-4o", "fake", "gpt-4o", stream: false, 1200, 300, 0.006m);
        var costs = new CostsView(await f.CostsJsonAsync());
        costs.AssertModel("tiverton", "fake", "gpt-4o", input: 1200, output: 300, requests: 1, cost: 0.006m);
        Assert.Equal(1, costs.TotalRequests);
    }

    [Fact]
    public async Task Embeddings_are_decoded_by_the_sdk_and_metered()
    {
        await using var f = await ProxyFixture.StartAsync(pricingJson: Pricing);
        string token = await f.AddAgentAsync("westin");
        float[] vector = [0.125f, -0.5f, 0.75f, 1f];
        f.Upstream.Script = ProviderScripts.OpenAIEmbeddings(vector, promptTokens: 8);
        var client = SdkClients.Embeddings(f.App.ApiEndPoint, token, "fake/text-embedding-3-small");

        var embedding = (await client.GenerateEmbeddingAsync("ACME quarterly report")).Value;

        Assert.Equal(vector, embedding.ToFloats().ToArray());
        Assert.Equal("/v1/embeddings", Assert.Single(f.Upstream.Seen).Path);
        LogLine.AssertMetered(f.Log.Next(), "westin", "fake/text-embedding-3-small", "fake", "text-embedding-3-small",
            stream: false, tokensIn: 8, tokensOut: 0, cost: 0.00000016m);
        new CostsView(await f.CostsJsonAsync()).AssertModel("westin", "fake", "text-embedding-3-small", 8, 0, 1, 0.00000016m);
    }
}
