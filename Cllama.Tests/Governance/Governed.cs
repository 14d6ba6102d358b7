using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cllama.Http;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

/// <summary>
/// A proxy with prices that keep budget arithmetic readable ($0.001 an input token, $0.002 an output token), an
/// optional operator policy.json, and fake-provider scripts that report chosen usage.
/// </summary>
static class Governed
{
    public const decimal InputUsd = 0.001m;
    public const decimal OutputUsd = 0.002m;

    public const string Pricing = """
        {"models":{"fake/gpt-test":{"input":1000,"output":2000},"fakeant/claude-test":{"input":1000,"output":2000},
                   "fake/local":{"input":0,"output":0}}}
        """;

    public static Task<ProxyFixture> StartAsync(string? policyJson = null) =>
        ProxyFixture.StartAsync(config =>
        {
            if (policyJson is not null)
                File.WriteAllText(Path.Combine(config.AuthDir, "policy.json"), policyJson);
            return config;
        }, pricingJson: Pricing);

    /// <summary>The most a body can cost by the proxy's bound: one token a byte plus 512, and its output cap.</summary>
    public static decimal WorstCase(string body, long maxTokens) =>
        (Encoding.UTF8.GetByteCount(body) + 512) * InputUsd + maxTokens * OutputUsd;

    public static Func<HttpContext, Task> ChatReply(long promptTokens, long completionTokens) => ctx =>
    {
        ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(
            """{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":P,"completion_tokens":C}}"""
                .Replace("P,", promptTokens + ",").Replace("C}", completionTokens + "}")));
        return Task.CompletedTask;
    };

    public static Func<HttpContext, Task> MessagesReply(long inputTokens, long outputTokens) => ctx =>
    {
        ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(
            """{"id":"m","type":"message","role":"assistant","model":"claude-test","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":I,"output_tokens":O}}"""
                .Replace("I,", inputTokens + ",").Replace("O}", outputTokens + "}")));
        return Task.CompletedTask;
    };

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(ProxyFixture f, HttpRequestMessage request)
    {
        var response = await f.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return (response, doc.RootElement.Clone());
    }

    public static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
