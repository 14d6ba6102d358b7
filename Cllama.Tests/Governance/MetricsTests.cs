using System.Net;
using System.Text;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

public class MetricsTests
{
    /// <summary>GET /metrics on the dashboard port, as Prometheus would scrape it (with the operator token).</summary>
    static List<PromSample> Scrape(ProxyFixture f)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(f.DashboardBase, "metrics"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ProxyFixture.DashboardToken);
        using var response = http.Send(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return PrometheusText.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Metrics_need_the_operator_token()
    {
        await using var f = await Governed.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var anonymous = await http.GetAsync(new Uri(f.DashboardBase, "metrics"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/json", anonymous.Content.Headers.ContentType!.MediaType);
        using var agentToken = new HttpRequestMessage(HttpMethod.Get, new Uri(f.DashboardBase, "metrics"));
        agentToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await f.AddAgentAsync("tiverton"));
        using var asAgent = await http.SendAsync(agentToken);
        Assert.Equal(HttpStatusCode.Unauthorized, asAgent.StatusCode);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(f.DashboardBase, "metrics"));
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ProxyFixture.DashboardToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.SendAsync(post)).StatusCode);
        Assert.Contains(Scrape(f), s => s.Name == "cllama_inflight_requests");
    }

    [Fact]
    public async Task Metrics_agree_with_the_ledger()
    {
        await using var f = await Governed.StartAsync("""{"agents":{"westin":{"budget":{"limit_usd":3,"window":"total"},"models":["fake/gpt-test"]}}}""");
        string tiverton = await f.AddAgentAsync("tiverton");
        string westin = await f.AddAgentAsync("westin");

        f.Upstream.Script = Governed.ChatReply(120, 30);
        for (int i = 0; i < 3; i++)
            (await f.Http.SendAsync(f.Post("/v1/chat/completions", tiverton, """{"model":"fake/gpt-test"}"""))).Dispose();
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", westin, """{"model":"fake/gpt-test","max_tokens":30}"""))).Dispose();
        f.Upstream.Script = Governed.MessagesReply(40, 8);
        (await f.Http.SendAsync(f.Post("/v1/messages", tiverton, """{"model":"fakeant/claude-test","max_tokens":8}""", auth: "x-api-key"))).Dispose();
        f.Upstream.Script = ctx => { ctx.Response.Send(500, "application/json", """{"error":"boom"}"""u8); return Task.CompletedTask; };
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", tiverton, """{"model":"fake/unpriced"}"""))).Dispose();
        using (var refused = await f.Http.SendAsync(f.Post("/v1/chat/completions", westin, """{"model":"fake/other"}""")))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var samples = Scrape(f);
        var ledger = f.App.Services.Ledger.Snapshot();
        foreach (var (agent, cost) in ledger.Agents)
        {
            foreach (var m in cost.Models)
            {
                bool Same(PromSample s) => s["agent"] == agent && s["provider"] == m.Provider && s["model"] == m.Model;
                double Tokens(string kind) => samples.Single(s => s.Name == "cllama_tokens_total" && Same(s) && s["kind"] == kind).Number;
                Assert.Equal(m.InputTokens, Tokens("input"));
                Assert.Equal(m.OutputTokens, Tokens("output"));
                Assert.Equal(m.CachedTokens, Tokens("cached"));
                Assert.Equal(m.CostUsd, samples.Single(s => s.Name == "cllama_cost_usd_total" && Same(s)).Money);
                Assert.Equal(m.Requests, samples.Where(s => s.Name == "cllama_requests_total" && Same(s)).Sum(s => s.Number));
            }
        }
        Assert.Equal(ledger.TotalCostUsd, samples.Where(s => s.Name == "cllama_cost_usd_total").Sum(s => s.Money));
        Assert.Equal(3, samples.Single(s => s.Name == "cllama_requests_total" && s["agent"] == "tiverton" && s["model"] == "gpt-test" && s["status"] == "200").Number);
        Assert.Equal(1, samples.Single(s => s.Name == "cllama_requests_total" && s["model"] == "unpriced" && s["status"] == "500").Number);
        // Refused before any provider: counted as a request, with no tokens or cost.
        Assert.Equal(1, samples.Single(s => s.Name == "cllama_requests_total" && s["agent"] == "westin" && s["model"] == "other" && s["status"] == "403").Number);
        Assert.DoesNotContain(samples, s => s.Name == "cllama_tokens_total" && s["model"] == "other");

        // Histograms: cumulative buckets, +Inf equal to _count, one observation per request of the series.
        foreach (string family in new[] { "cllama_request_duration_seconds", "cllama_upstream_ttfb_seconds", "cllama_overhead_seconds" })
        {
            var counts = samples.Where(s => s.Name == family + "_count").ToList();
            Assert.NotEmpty(counts);
            foreach (var count in counts)
            {
                var buckets = samples.Where(s => s.Name == family + "_bucket" && s["agent"] == count["agent"] && s["provider"] == count["provider"] && s["model"] == count["model"]).ToList();
                Assert.Equal("+Inf", buckets[^1]["le"]);
                Assert.Equal(count.Number, buckets[^1].Number);
                Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Number <= p.Second.Number));
                Assert.True(samples.Single(s => s.Name == family + "_sum" && s["agent"] == count["agent"] && s["model"] == count["model"]).Number >= 0);
            }
        }
        Assert.Equal(3, samples.Single(s => s.Name == "cllama_request_duration_seconds_count" && s["agent"] == "tiverton" && s["model"] == "gpt-test").Number);
        // The refused request never waited on a provider.
        Assert.DoesNotContain(samples, s => s.Name == "cllama_upstream_ttfb_seconds_count" && s["model"] == "other");

        Assert.Equal(0, samples.Single(s => s.Name == "cllama_inflight_requests").Number);
        var remaining = samples.Single(s => s.Name == "cllama_budget_remaining_usd");
        Assert.Equal("westin", remaining["agent"]);
        Assert.Equal(3m - ledger.Agents["westin"].TotalCostUsd, remaining.Money);
    }

    [Fact]
    public async Task Label_values_are_escaped()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        (await f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/we\"ird\\mo\ndel"}"""))).Dispose();
        var sample = Scrape(f).Single(s => s.Name == "cllama_requests_total");
        Assert.Equal("we\"ird\\mo\ndel", sample["model"]);
    }

    [Fact]
    public async Task Requests_in_flight_are_counted()
    {
        await using var f = await Governed.StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Upstream.Script = async ctx =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Governed.ChatReply(1, 1)(ctx);
        };
        var pending = Enumerable.Range(0, 3).Select(_ => f.Http.SendAsync(f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-test"}"""))).ToList();
        await ProxyFixture.WaitUntilAsync(() => f.Upstream.Seen.Count == 3, "three requests upstream");
        Assert.Equal(3, Scrape(f).Single(s => s.Name == "cllama_inflight_requests").Number);
        release.SetResult();
        foreach (var response in await Task.WhenAll(pending))
            response.Dispose();
        Assert.Equal(0, Scrape(f).Single(s => s.Name == "cllama_inflight_requests").Number);
    }
}
