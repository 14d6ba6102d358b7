using System.Net;
using System.Text;
using System.Text.Json;
using Cllama.Tests.Sdk;

namespace Cllama.Tests.Binary;

/// <summary>The proxy paths end to end through the published binary, with usage checked in the request log and /costs/api.</summary>
public class BinaryProxyTests
{
    const string Pricing = """{"models":{"fake/gpt-4o":{"input":2.5,"output":10},"anthropic/claude-sonnet-4-5":{"input":3,"output":15}}}""";
    static readonly TimeSpan LogWait = TimeSpan.FromSeconds(10);
    static readonly string[] Deltas = ["Bought ", "10 ", "ACME."];

    static async Task<JsonElement> LogLineAsync(RunningBinary bin, int index)
    {
        using var doc = JsonDocument.Parse(await bin.Process.Stdout.LineAsync(index, LogWait));
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Chat_completion_is_forwarded_with_the_real_key_and_metered()
    {
        string token = "";
        await using var bin = await RunningBinary.StartAsync(home => { token = home.AddAgent("tiverton"); home.WritePricing(Pricing); });
        bin.Upstream.Script = ProviderScripts.OpenAIChat("Bought 10 ACME.", promptTokens: 1200, completionTokens: 300);

        using var response = await bin.Http.SendAsync(RunningBinary.Post("/v1/chat/completions", token,
            """{"model":"fake/gpt-4o","messages":[{"role":"user","content":"Any trades?"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bought 10 ACME.", answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var seen = Assert.Single(bin.Upstream.Seen);
        Assert.Equal("Bearer " + RunningBinary.UpstreamKey, seen.Header("Authorization"));
        Assert.Equal("""{"model":"gpt-4o","messages":[{"role":"user","content":"Any trades?"}]}""", Encoding.UTF8.GetString(seen.Body));
        LogLine.AssertMetered(await LogLineAsync(bin, 0), "tiverton", "fake/gpt-4o", "fake", "gpt-4o", stream: false, 1200, 300, 0.006m);
        new CostsView(await bin.CostsJsonAsync()).AssertModel("tiverton", "fake", "gpt-4o", 1200, 300, 1, 0.006m);
    }

    [Fact]
    public async Task Streamed_chat_arrives_whole_without_the_injected_usage_chunk_and_is_metered()
    {
        string token = "";
        await using var bin = await RunningBinary.StartAsync(home => { token = home.AddAgent("westin"); home.WritePricing(Pricing); });
        bin.Upstream.Script = ProviderScripts.OpenAIStream(Deltas, promptTokens: 2000, completionTokens: 40);

        using var response = await bin.Http.SendAsync(RunningBinary.Post("/v1/chat/completions", token,
            """{"model":"fake/gpt-4o","stream":true,"messages":[{"role":"user","content":"Any trades?"}]}"""), HttpCompletionOption.ResponseHeadersRead);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.Equal(string.Concat(Deltas), string.Concat(events.SkipLast(1).Select(ContentOf)));
        Assert.DoesNotContain("\"prompt_tokens\"", body);
        Assert.Contains("\"include_usage\":true", Encoding.UTF8.GetString(Assert.Single(bin.Upstream.Seen).Body));
        // 2000 × $2.5/M + 40 × $10/M
        LogLine.AssertMetered(await LogLineAsync(bin, 0), "westin", "fake/gpt-4o", "fake", "gpt-4o", stream: true, 2000, 40, 0.0054m);
        new CostsView(await bin.CostsJsonAsync()).AssertModel("westin", "fake", "gpt-4o", 2000, 40, 1, 0.0054m);
    }

    [Fact]
    public async Task Anthropic_messages_go_to_anthropic_with_x_api_key_and_are_metered()
    {
        string token = "";
        await using var bin = await RunningBinary.StartAsync(home => { token = home.AddAgent("allen"); home.WritePricing(Pricing); });
        bin.Upstream.Script = ProviderScripts.AnthropicMessage("Hold.", inputTokens: 900, outputTokens: 120);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"user","content":"Any trades?"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", token);
        using var response = await bin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Hold.", answer.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        var seen = Assert.Single(bin.Upstream.Seen);
        Assert.Equal(RunningBinary.UpstreamKey, seen.Header("x-api-key"));
        Assert.Equal("2023-06-01", seen.Header("anthropic-version"));
        LogLine.AssertMetered(await LogLineAsync(bin, 0), "allen", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", stream: false, 900, 120, 0.0045m);
        var costs = new CostsView(await bin.CostsJsonAsync());
        costs.AssertModel("allen", "anthropic", "claude-sonnet-4-5", 900, 120, 1, 0.0045m);
        Assert.Equal(1, costs.TotalRequests);
    }

    [Fact]
    public async Task Stdout_carries_only_request_log_lines_and_stderr_the_logs()
    {
        string token = "";
        await using var bin = await RunningBinary.StartAsync(home => token = home.AddAgent("tiverton"));
        bin.Upstream.Script = ProviderScripts.OpenAIChat("ok", 10, 2);
        var sends = new[]
        {
            RunningBinary.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o"}"""),
            RunningBinary.Post("/v1/chat/completions", token, """{"model":"nowhere/gpt-4o"}"""),
            RunningBinary.Post("/v1/chat/completions", "tiverton:wrong", """{"model":"fake/gpt-4o"}"""),
            RunningBinary.Post("/v1/chat/completions", token, """{"model":"""),
        };
        foreach (var request in sends)
            using (request)
                (await bin.Http.SendAsync(request)).Dispose();

        bin.Process.Terminate();
        Assert.Equal(0, await bin.Process.WaitForExitAsync(TimeSpan.FromSeconds(15)));

        var stdout = bin.Process.Stdout.Snapshot();
        Assert.True(stdout.Count >= 2, $"expected request log lines, got:\n{string.Join('\n', stdout)}");
        foreach (var line in stdout)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("request_id").GetString()), line);
        }
        Assert.DoesNotContain(stdout, l => l.Contains(RunningBinary.UpstreamKey) || l.Contains(token.Split(':')[1]));
        var stderr = bin.Process.Stderr.Snapshot();
        Assert.Contains(stderr, l => l.Contains("api listening on"));
        Assert.Contains(stderr, l => l.Contains("Stopping"));
        Assert.DoesNotContain(stderr, l => l.Contains("\"request_id\""));
    }

    [Fact]
    public async Task Concurrent_requests_all_complete_and_each_is_metered_once()
    {
        // The binary resumes each request on the ledger's writer thread once its entry is on disk, and runs socket
        // completions on the runtime's event threads: many requests at once must still all finish, each counted once.
        const int Count = 200;
        string token = "";
        await using var bin = await RunningBinary.StartAsync(home => { token = home.AddAgent("tiverton"); home.WritePricing(Pricing); });
        bin.Upstream.Script = ProviderScripts.OpenAIChat("Bought 10 ACME.", promptTokens: 1200, completionTokens: 300);

        var answers = await Task.WhenAll(Enumerable.Range(0, Count).Select(async _ =>
        {
            using var response = await bin.Http.SendAsync(RunningBinary.Post("/v1/chat/completions", token,
                """{"model":"fake/gpt-4o","messages":[{"role":"user","content":"Any trades?"}]}"""));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).WaitAsync(TimeSpan.FromSeconds(60)); // a stuck request fails the test instead of hanging the run

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers, a => Assert.Contains("Bought 10 ACME.", a.Body));
        new CostsView(await bin.CostsJsonAsync()).AssertModel("tiverton", "fake", "gpt-4o", 1200L * Count, 300L * Count, Count, 0.006m * Count);
    }

    [Fact]
    public async Task Costs_api_answers_only_with_the_operator_token()
    {
        await using var bin = await RunningBinary.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"http://{bin.Ui}/costs/api")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"http://{bin.Ui}/costs/api");
        wrong.Headers.Authorization = new("Bearer", BinaryHome.UiToken + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        Assert.Equal(0, new CostsView(await bin.CostsJsonAsync()).TotalRequests);
    }

    static string ContentOf(string sseEvent)
    {
        using var chunk = JsonDocument.Parse(sseEvent["data: ".Length..]);
        var choices = chunk.RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString()! : "";
    }
}
