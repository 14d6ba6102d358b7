using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cllama.Ledger;
using Cllama.Tests.Agents;
using Cllama.Tests.Support;

namespace Cllama.Tests.Ledger;

/// <summary>The ledger wired into the running proxy: durable before the response completes, windows on /costs/api.</summary>
public class CostsApiLedgerTests
{
    const string ChatJson = """{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}}""";
    const string Pricing = """{"models":{"fake/gpt-4o":{"input":2.5,"output":10}}}""";

    static Task<ProxyFixture> StartAsync() => ProxyFixture.StartAsync(pricingJson: Pricing);

    static async Task<HttpResponseMessage> ChatAsync(ProxyFixture f, string token)
    {
        f.Upstream.Script = ctx =>
        {
            ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(ChatJson));
            return Task.CompletedTask;
        };
        using var request = f.Post("/v1/chat/completions", token, """{"model":"fake/gpt-4o","messages":[]}""");
        var response = await f.Http.SendAsync(request);
        Assert.Equal(ChatJson, await response.Content.ReadAsStringAsync());
        return response;
    }

    static async Task<(HttpStatusCode Status, string Body)> CostsAsync(ProxyFixture f, string query)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(f.DashboardBase, "costs/api" + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyFixture.DashboardToken);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_response_the_client_saw_complete_is_already_on_disk()
    {
        await using var f = await StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        for (int i = 0; i < 3; i++)
            (await ChatAsync(f, token)).Dispose();
        // Copy the files right now, as a kill -9 would leave them, and rebuild from the copy.
        using var crashed = new TempDir();
        LedgerImage.Copy(Path.Combine(f.Root, "state"), crashed.Path);
        using var recovered = CostLedger.Open(crashed.Path);
        var model = Assert.Single(recovered.Snapshot().Agents["tiverton"].Models);
        Assert.Equal((3L, 3000L, 1500L, 0.0225m), (model.Requests, model.InputTokens, model.OutputTokens, model.CostUsd));
    }

    [Theory]
    [InlineData("", "total")]
    [InlineData("?window=24h", "24h")]
    [InlineData("?window=7d", "7d")]
    [InlineData("?window=30d", "30d")]
    [InlineData("?window=month", "month")]
    [InlineData("?window=total", "total")]
    public async Task Costs_api_answers_each_window(string query, string window)
    {
        await using var f = await StartAsync();
        string token = await f.AddAgentAsync("tiverton");
        (await ChatAsync(f, token)).Dispose();
        var (status, body) = await CostsAsync(f, query);
        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(window, doc.RootElement.GetProperty("window").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("total_requests").GetInt64());
        Assert.Equal(0.0075m, doc.RootElement.GetProperty("agents").GetProperty("tiverton").GetProperty("total_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Costs_api_refuses_an_unknown_window()
    {
        await using var f = await StartAsync();
        var (status, body) = await CostsAsync(f, "?window=1y");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("invalid_window", body);
    }

    [Fact]
    public async Task Totals_survive_a_restart_of_the_app_on_the_same_state_dir()
    {
        using var state = new TempDir();
        string before;
        await using (var f = await ProxyFixture.StartAsync(c => c with { StateDir = state.Path }, pricingJson: Pricing))
        {
            string token = await f.AddAgentAsync("tiverton");
            (await ChatAsync(f, token)).Dispose();
            (await ChatAsync(f, token)).Dispose();
            before = (await CostsAsync(f, "")).Body;
        }
        await using var again = await ProxyFixture.StartAsync(c => c with { StateDir = state.Path }, pricingJson: Pricing);
        Assert.Equal(before, (await CostsAsync(again, "")).Body);
        Assert.Contains("\"total_requests\":2", before);
    }
}
