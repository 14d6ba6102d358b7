using System.Net;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Dashboard;

public class PodAndCostsApiTests
{
    static readonly DashAuth Bearer = new(Bearer: ProxyFixture.DashboardToken);

    static JsonElement Agent(JsonElement pod, string id) =>
        pod.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);

    [Fact]
    public async Task Pod_api_lists_agents_with_their_requests_cost_and_models()
    {
        await using var f = await DashboardTraffic.StartAsync();
        await DashboardTraffic.TradingDeskAsync(f);
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.GetAsync("/pod/api", Bearer);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var pod = JsonDocument.Parse(reply.Body).RootElement;

        Assert.Equal("test-pod", pod.GetProperty("pod").GetString());
        Assert.Equal(10, pod.GetProperty("total_requests").GetInt64());
        Assert.Equal(2, pod.GetProperty("unpriced_requests").GetInt64());
        var tiverton = Agent(pod, "tiverton");
        Assert.Equal("test", tiverton.GetProperty("type").GetString());
        Assert.Equal("tiverton", tiverton.GetProperty("service").GetString());
        Assert.Equal("test-pod", tiverton.GetProperty("pod").GetString());
        Assert.True(tiverton.GetProperty("registered").GetBoolean());
        Assert.Equal(5, tiverton.GetProperty("requests").GetInt64());
        // 3 × (1200 × 2.5 + 300 × 10) / 1e6 + 2 × (1200 × 0.15 + 300 × 0.6) / 1e6
        Assert.Equal(0.01872m, tiverton.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(["fake/gpt-4o", "fake/gpt-4o-mini"], tiverton.GetProperty("models").EnumerateArray().Select(m => m.GetString()).Order());
        var allen = Agent(pod, "allen");
        Assert.Equal(2, allen.GetProperty("unpriced_requests").GetInt64());
        Assert.Contains("fakenone/llama-local", allen.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Pod_name_comes_from_CLAW_POD_first()
    {
        await using var f = await DashboardTraffic.StartAsync(c => c with { Pod = "trading-desk" });
        await f.AddAgentAsync("tiverton");
        using var client = new DashboardClient(f.DashboardBase);
        var pod = JsonDocument.Parse((await client.GetAsync("/pod/api", Bearer)).Body).RootElement;
        Assert.Equal("trading-desk", pod.GetProperty("pod").GetString());
        Assert.Equal(0, Agent(pod, "tiverton").GetProperty("requests").GetInt64());
        Assert.Empty(Agent(pod, "tiverton").GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task An_agent_removed_from_disk_keeps_its_spend_on_the_pod_page()
    {
        await using var f = await DashboardTraffic.StartAsync();
        DashboardTraffic.ScriptUpstream(f);
        string token = await f.AddAgentAsync("gone");
        await DashboardTraffic.ChatAsync(f, token, "fake/gpt-4o");
        Directory.Delete(Path.Combine(f.ContextRoot, "gone"), recursive: true);
        await ProxyFixture.WaitUntilAsync(() => f.App.Services.Agents.All.Count == 0, "agent removal");
        using var client = new DashboardClient(f.DashboardBase);
        var gone = Agent(JsonDocument.Parse((await client.GetAsync("/pod/api", Bearer)).Body).RootElement, "gone");
        Assert.False(gone.GetProperty("registered").GetBoolean());
        Assert.Equal(1, gone.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Costs_api_keeps_the_contract_shape()
    {
        await using var f = await DashboardTraffic.StartAsync();
        await DashboardTraffic.TradingDeskAsync(f);
        using var client = new DashboardClient(f.DashboardBase);
        var costs = JsonDocument.Parse((await client.GetAsync("/costs/api", Bearer)).Body).RootElement;
        Assert.Equal(10, costs.GetProperty("total_requests").GetInt64());
        var westin = costs.GetProperty("agents").GetProperty("westin");
        Assert.Equal(2, westin.GetProperty("total_requests").GetInt64());
        var sonnet = westin.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("provider").GetString() == "fakeant");
        Assert.Equal("claude-sonnet-4", sonnet.GetProperty("model").GetString());
        Assert.Equal(1200, sonnet.GetProperty("input_tokens").GetInt64());
        Assert.Equal(300, sonnet.GetProperty("output_tokens").GetInt64());
        Assert.Equal(0.0081m, sonnet.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, sonnet.GetProperty("requests").GetInt64());
    }
}
