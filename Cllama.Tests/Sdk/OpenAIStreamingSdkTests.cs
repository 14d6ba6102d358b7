using System.Text;
using System.Text.Json;
using Cllama.Tests.Support;
using OpenAI.Chat;

namespace Cllama.Tests.Sdk;

/// <summary>
/// Streamed chat through the OpenAI .NET SDK: with the usage chunk the SDK asks for by default, and with that
/// request removed, where the proxy asks upstream itself and must keep its usage chunk from the client.
/// </summary>
public class OpenAIStreamingSdkTests
{
    const string Pricing = """{"models":{"fake/gpt-4o-mini":{"input":0.15,"output":0.6}}}""";
    static readonly string[] Deltas = ["Bought ", "10 ", "ACME ", "at ", "market."];

    static async Task<(string Text, List<StreamingChatCompletionUpdate> Updates)> StreamAsync(ChatClient chat, ChatCompletionOptions? options = null)
    {
        var text = new StringBuilder();
        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Any trades on ACME?")], options))
        {
            updates.Add(update);
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
        }
        return (text.ToString(), updates);
    }

    [Fact]
    public async Task Sdk_that_asks_for_usage_gets_it_and_the_proxy_meters_it()
    {
        await using var f = await ProxyFixture.StartAsync(pricingJson: Pricing);
        string token = await f.AddAgentAsync("allen");
        f.Upstream.Script = ProviderScripts.OpenAIStream(Deltas, promptTokens: 2000, completionTokens: 500);

        var (text, updates) = await StreamAsync(SdkClients.Chat(f.App.ApiEndPoint, token, "fake/gpt-4o-mini"));

        Assert.Equal(string.Concat(Deltas), text);
        var usage = Assert.Single(updates, u => u.Usage is not null).Usage;
        Assert.Equal(2000, usage.InputTokenCount);
        Assert.Equal(500, usage.OutputTokenCount);
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        // The SDK's own request reached the provider unchanged but for the model.
        using var sent = JsonDocument.Parse(Assert.Single(f.Upstream.Seen).Body);
        Assert.Equal("gpt-4o-mini", sent.RootElement.GetProperty("model").GetString());
        Assert.True(sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());

        // 2000 × $0.15/M + 500 × $0.6/M
        LogLine.AssertMetered(f.Log.Next(), "allen", "fake/gpt-4o-mini", "fake", "gpt-4o-mini", stream: true, 2000, 500, 0.0006m);
        new CostsView(await f.CostsJsonAsync()).AssertModel("allen", "fake", "gpt-4o-mini", 2000, 500, 1, 0.0006m);
    }

    [Fact]
    public async Task Sdk_that_does_not_ask_for_usage_never_sees_the_usage_chunk_but_the_proxy_meters_it()
    {
        await using var f = await ProxyFixture.StartAsync(pricingJson: Pricing);
        string token = await f.AddAgentAsync("allen");
        f.Upstream.Script = ProviderScripts.OpenAIStream(Deltas, promptTokens: 2000, completionTokens: 500);
        var options = new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is experimental; it is the SDK's own way to drop a field it always sends
        options.Patch.Remove("$.stream_options"u8);
#pragma warning restore SCME0001

        var sdkSent = new SentRequests();

        var (text, updates) = await StreamAsync(SdkClients.Chat(f.App.ApiEndPoint, token, "fake/gpt-4o-mini", sdkSent), options);

        Assert.DoesNotContain("stream_options", Assert.Single(sdkSent.Bodies));
        Assert.Equal(string.Concat(Deltas), text);
        Assert.All(updates, u => Assert.Null(u.Usage));
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        // The provider was asked for usage by the proxy, not by the client.
        using var sent = JsonDocument.Parse(Assert.Single(f.Upstream.Seen).Body);
        Assert.True(sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());

        LogLine.AssertMetered(f.Log.Next(), "allen", "fake/gpt-4o-mini", "fake", "gpt-4o-mini", stream: true, 2000, 500, 0.0006m);
        new CostsView(await f.CostsJsonAsync()).AssertModel("allen", "fake", "gpt-4o-mini", 2000, 500, 1, 0.0006m);
    }
}
