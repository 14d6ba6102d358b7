using System.Net;
using System.Text;

namespace Cllama.Demo;

/// <summary>The demo's burst: each agent calls a few models on several providers, some streamed, one unpriced.</summary>
public static class DemoTraffic
{
    sealed record Call(string Agent, string Path, string Model, bool Stream);

    static readonly Call[] s_calls =
    [
        new("tiverton", "/v1/chat/completions", "anthropic/claude-sonnet-4", false),
        new("tiverton", "/v1/chat/completions", "openai/gpt-4o", true),
        new("tiverton", "/v1/messages", "claude-sonnet-4-20250514", false),
        new("tiverton", "/v1/messages", "claude-haiku-4-5", true),
        new("westin", "/v1/chat/completions", "openai/gpt-4o-mini", false),
        new("westin", "/v1/chat/completions", "openai/gpt-4o-mini", true),
        new("westin", "/v1/chat/completions", "openrouter/anthropic/claude-sonnet-4", false),
        new("westin", "/v1/embeddings", "openai/text-embedding-3-small", false),
        new("allen", "/v1/chat/completions", "openrouter/google/gemini-2.5-flash", true),
        new("allen", "/v1/chat/completions", "ollama/llama3.2", false),
        new("allen", "/v1/chat/completions", "openai/gpt-demo-unpriced", false),
        new("allen", "/v1/chat/completions", "openai/gpt-4.1-mini", true),
    ];

    /// <returns>How many calls got a 200.</returns>
    public static async Task<int> RunAsync(IPEndPoint api, IReadOnlyDictionary<string, string> tokens, int rounds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{api}") };
        int ok = 0;
        var tasks = new List<Task<bool>>();
        for (int round = 0; round < rounds; round++)
            foreach (var call in s_calls)
                tasks.Add(SendAsync(http, call, tokens[call.Agent], cancellationToken));
        foreach (var t in tasks)
            if (await t.ConfigureAwait(false))
                ok++;
        return ok;
    }

    static async Task<bool> SendAsync(HttpClient http, Call call, string token, CancellationToken ct)
    {
        string body = call.Path switch
        {
            "/v1/messages" => $$"""{"model":"{{call.Model}}","max_tokens":256,"stream":{{(call.Stream ? "true" : "false")}},"messages":[{"role":"user","content":"Any trades to place on ACME?"}]}""",
            "/v1/embeddings" => $$"""{"model":"{{call.Model}}","input":"ACME quarterly report"}""",
            _ => $$"""{"model":"{{call.Model}}","stream":{{(call.Stream ? "true" : "false")}},"messages":[{"role":"system","content":"You are a trading agent."},{"role":"user","content":"Any trades to place on ACME?"}]}""",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
