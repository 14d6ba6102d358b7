using System.Text;
using System.Text.Json;
using Anthropic.Models.Messages;
using Cllama.Tests.Support;

namespace Cllama.Tests.Sdk;

/// <summary>
/// The Anthropic .NET SDK as the agent on <c>/v1/messages</c>: a bare model goes to provider "anthropic", here a
/// scripted upstream of its own that expects <c>x-api-key</c>.
/// </summary>
public class AnthropicSdkTests
{
    const string Pricing = """{"models":{"anthropic/claude-sonnet-4-5":{"input":3,"output":15}}}""";

    static async Task<(ScriptedUpstream Anthropic, ProxyFixture Proxy)> StartAsync()
    {
        var anthropic = ScriptedUpstream.Start();
        var extra = new Dictionary<string, string>
        {
            ["anthropic"] = $$"""{"base_url":"{{anthropic.BaseUrl}}","api_key":"{{ProxyFixture.AnthropicKey}}","auth":"x-api-key","api_format":"anthropic"}""",
        };
        return (anthropic, await ProxyFixture.StartAsync(extraProviders: extra, pricingJson: Pricing));
    }

    static MessageCreateParams Ask() => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 1024,
        Messages = [new UserMessageParam { Content = "Any trades on ACME?" }],
    };

    [Fact]
    public async Task Message_is_parsed_by_the_sdk_and_metered()
    {
        var (upstream, f) = await StartAsync();
        await using var upstreamScope = upstream;
        await using var proxyScope = f;
        string token = await f.AddAgentAsync("tiverton");
        upstream.Script = ProviderScripts.AnthropicMessage("Hold ACME; no trade.", inputTokens: 900, outputTokens: 120);

        var message = await SdkClients.Anthropic(f.App.ApiEndPoint, token).Messages.Create(Ask());

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal("Hold ACME; no trade.", text.Text);
        Assert.Equal(900, message.Usage.InputTokens);
        Assert.Equal(120, message.Usage.OutputTokens);

        var seen = Assert.Single(upstream.Seen);
        Assert.Equal("/v1/messages", seen.Path);
        Assert.Equal(ProxyFixture.AnthropicKey, seen.Header("x-api-key"));
        Assert.Null(seen.Header("Authorization"));
        Assert.NotNull(seen.Header("anthropic-version"));
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains(token.Split(':')[1]));
        using var body = JsonDocument.Parse(seen.Body);
        Assert.Equal("claude-sonnet-4-5", body.RootElement.GetProperty("model").GetString());

        // 900 × $3/M + 120 × $15/M
        LogLine.AssertMetered(f.Log.Next(), "tiverton", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", stream: false, 900, 120, 0.0045m);
        new CostsView(await f.CostsJsonAsync()).AssertModel("tiverton", "anthropic", "claude-sonnet-4-5", 900, 120, 1, 0.0045m);
    }

    [Fact]
    public async Task Streamed_message_deltas_reach_the_sdk_and_usage_is_metered()
    {
        var (upstream, f) = await StartAsync();
        await using var upstreamScope = upstream;
        await using var proxyScope = f;
        string token = await f.AddAgentAsync("westin");
        string[] deltas = ["Hold ", "ACME; ", "no ", "trade."];
        upstream.Script = ProviderScripts.AnthropicStream(deltas, inputTokens: 1500, outputTokens: 64);

        var text = new StringBuilder();
        long? input = null, output = null;
        bool stopped = false;
        await foreach (var ev in SdkClients.Anthropic(f.App.ApiEndPoint, token).Messages.CreateStreaming(Ask()))
        {
            if (ev.TryPickStart(out var start))
                input = start.Message.Usage.InputTokens;
            else if (ev.TryPickContentBlockDelta(out var d) && d.Delta.TryPickText(out var t))
                text.Append(t.Text);
            else if (ev.TryPickDelta(out var md))
                output = md.Usage.OutputTokens;
            else if (ev.TryPickStop(out _))
                stopped = true;
        }

        Assert.Equal(string.Concat(deltas), text.ToString());
        Assert.Equal(1500, input);
        Assert.Equal(64, output);
        Assert.True(stopped);
        // 1500 × $3/M + 64 × $15/M
        LogLine.AssertMetered(f.Log.Next(), "westin", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", stream: true, 1500, 64, 0.00546m);
        new CostsView(await f.CostsJsonAsync()).AssertModel("westin", "anthropic", "claude-sonnet-4-5", 1500, 64, 1, 0.00546m);
    }

    [Fact]
    public async Task Token_in_x_api_key_as_other_anthropic_sdks_send_it_is_accepted()
    {
        var (upstream, f) = await StartAsync();
        await using var upstreamScope = upstream;
        await using var proxyScope = f;
        string token = await f.AddAgentAsync("allen");
        upstream.Script = ProviderScripts.AnthropicMessage("Sell.", inputTokens: 40, outputTokens: 2);

        var message = await SdkClients.AnthropicWithXApiKey(f.App.ApiEndPoint, token).Messages.Create(Ask());

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal("Sell.", text.Text);
        var seen = Assert.Single(upstream.Seen);
        Assert.Equal(ProxyFixture.AnthropicKey, seen.Header("x-api-key"));
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains(token.Split(':')[1]));
        LogLine.AssertMetered(f.Log.Next(), "allen", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", stream: false, 40, 2, 0.00015m);
    }
}
