using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

public class BudgetConcurrencyTests
{
    /// <summary>
    /// Forty requests at once against a budget that holds three and a half worst cases, with a provider that
    /// reports every request at its full worst case (the most the bound allows). The provider holds its answers
    /// until every request has either reached it or been refused, so all forty really are in flight together.
    /// </summary>
    [Fact]
    public async Task Simultaneous_requests_never_push_recorded_spend_over_the_limit()
    {
        const int Requests = 40;
        string body = """{"model":"fake/gpt-test","max_tokens":100,"messages":[{"role":"user","content":"hello there"}]}""";
        decimal worst = Governed.WorstCase(body, 100);
        decimal limit = worst * 3.5m;
        await using var f = await Governed.StartAsync(
            """{"agents":{"tiverton":{"budget":{"limit_usd":LIMIT,"window":"total"}}}}""".Replace("LIMIT", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string token = await f.AddAgentAsync("tiverton");

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = Governed.ChatReply(System.Text.Encoding.UTF8.GetByteCount(body) + 512, 100);
        f.Upstream.Script = async ctx =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await reply(ctx);
        };

        var statuses = new ConcurrentBag<HttpStatusCode>();
        var retryAfters = new ConcurrentBag<string?>();
        int answered = 0;
        var tasks = Enumerable.Range(0, Requests).Select(async _ =>
        {
            using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, body));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfters.Add(response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("budget_exceeded", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
            }
            Interlocked.Increment(ref answered);
        }).ToList();

        await ProxyFixture.WaitUntilAsync(() => f.Upstream.Seen.Count + Volatile.Read(ref answered) == Requests, "every request to be held or refused", 15000);
        Assert.Equal(3, f.Upstream.Seen.Count);
        release.SetResult();
        await Task.WhenAll(tasks);

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Requests - 3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Those were refused for reservations of requests in flight, which settle within moments.
        Assert.All(retryAfters, r => Assert.Equal("1", r));
        decimal spent = f.App.Services.Ledger.Snapshot().Agents["tiverton"].TotalCostUsd;
        Assert.Equal(3 * worst, spent);
        Assert.True(spent <= limit);

        // Once they settled, what is left (half a worst case) still admits nothing.
        using var after = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, body));
        Assert.Equal(HttpStatusCode.TooManyRequests, after.StatusCode);
        Assert.Null(after.Headers.RetryAfter);
        Assert.Equal(3, f.Upstream.Seen.Count);
        Assert.Equal(0m, f.App.Services.Governance.Budgets.Status("tiverton", new(limit, Cllama.Ledger.BudgetWindow.Total)).ReservedUsd);
    }

    /// <summary>
    /// Without output caps each admitted request is clamped to what the ones before it left: the provider here
    /// answers each with its full (clamped) cap, and spend still ends at or under the limit.
    /// </summary>
    [Fact]
    public async Task Simultaneous_uncapped_requests_are_clamped_to_what_is_left()
    {
        const int Requests = 24;
        string body = """{"model":"fake/gpt-test","messages":[{"role":"user","content":"tell me everything"}]}""";
        await using var f = await Governed.StartAsync("""{"defaults":{"budget":{"limit_usd":2,"window":"total"}}}""");
        string token = await f.AddAgentAsync("tiverton");
        long inputTokens = System.Text.Encoding.UTF8.GetByteCount(body) + 512;
        f.Upstream.Script = ctx =>
        {
            // Echo the cap the proxy added as the output used: the worst a provider may do.
            using var doc = JsonDocument.Parse(ctx.Body);
            long cap = doc.RootElement.GetProperty("max_tokens").GetInt64();
            return Governed.ChatReply(inputTokens, cap)(ctx);
        };

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async _ =>
        {
            using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", token, body));
            return response.StatusCode;
        }));

        Assert.Contains(HttpStatusCode.OK, responses);
        decimal spent = f.App.Services.Ledger.Snapshot().Agents["tiverton"].TotalCostUsd;
        Assert.True(spent <= 2m, $"spent {spent}");
        Assert.All(f.Upstream.Seen, seen => Assert.Contains("\"max_tokens\":", System.Text.Encoding.UTF8.GetString(seen.Body)));
    }
}
