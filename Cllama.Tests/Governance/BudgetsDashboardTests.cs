using System.Net;
using System.Text.Json;
using Cllama.Tests.Dashboard;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

public class BudgetsDashboardTests
{
    const string Policy = """{"agents":{"tiverton":{"budget":{"limit_usd":1,"window":"total"},"models":["fake/*"]},"westin":{"budget":{"limit_usd":4,"window":"24h"}}}}""";

    static async Task<ProxyFixture> WithSpendAsync()
    {
        var f = await Governed.StartAsync(Policy);
        string tiverton = await f.AddAgentAsync("tiverton");
        await f.AddAgentAsync("westin");
        await f.AddAgentAsync("allen");
        f.Upstream.Script = Governed.ChatReply(150, 50); // $0.25 each
        for (int i = 0; i < 2; i++)
        {
            using var response = await f.Http.SendAsync(f.Post("/v1/chat/completions", tiverton, """{"model":"fake/gpt-test","max_tokens":50}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return f;
    }

    [Fact]
    public async Task Budgets_api_lists_each_agent_with_a_budget_and_its_standing()
    {
        await using var f = await WithSpendAsync();
        using var client = new DashboardClient(f.DashboardBase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/budgets/api")).Status);
        var reply = await client.GetAsync("/budgets/api", new DashAuth(Bearer: ProxyFixture.DashboardToken));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var agents = JsonDocument.Parse(reply.Body).RootElement.GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(["tiverton", "westin"], agents.Select(a => a.GetProperty("id").GetString()!));
        var tiverton = agents[0];
        Assert.Equal(1m, tiverton.GetProperty("limit_usd").GetDecimal());
        Assert.Equal("total", tiverton.GetProperty("window").GetString());
        Assert.Equal(0.5m, tiverton.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(0.5m, tiverton.GetProperty("remaining_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, tiverton.GetProperty("resets_at").ValueKind);
        Assert.Equal("fake/*", Assert.Single(tiverton.GetProperty("models").EnumerateArray()).GetString());
        Assert.Equal(JsonValueKind.Null, agents[1].GetProperty("models").ValueKind);
        Assert.Equal(0m, agents[1].GetProperty("spent_usd").GetDecimal());
    }

    [Fact]
    public async Task Pod_and_costs_pages_draw_a_bar_per_budget_to_the_limit_scale()
    {
        await using var f = await WithSpendAsync();
        await using var browser = await BrowserDriver.StartAsync();
        string home = f.DashboardBase.ToString();
        await browser.GotoAsync(home + "login?token=" + ProxyFixture.DashboardToken);
        foreach (string page in new[] { "pod", "costs" })
        {
            await browser.GotoAsync(home + page);
            await browser.WaitForAsync("#chart-budgets svg");
            Assert.Equal(2, await browser.CountAsync("#chart-budgets svg rect[class^=fill-]"));
            var shares = await browser.EvalAsync("""
                [...document.querySelectorAll('#chart-budgets svg g.bar')].map(g => {
                  const [track, fill] = g.querySelectorAll('rect');
                  return [g.querySelector('text').textContent, +fill.getAttribute('width') / +track.getAttribute('width'), g.querySelector('text.value').textContent];
                })
                """);
            var rows = shares.EnumerateArray().Select(r => (Label: r[0].GetString(), Share: r[1].GetDouble(), Text: r[2].GetString())).ToList();
            Assert.Equal("tiverton", rows[0].Label);
            Assert.InRange(rows[0].Share, 0.49, 0.51); // $0.50 of $1
            Assert.Equal("$0.5000 of $1.00 · total", rows[0].Text);
            Assert.Equal("westin", rows[1].Label);
            Assert.InRange(rows[1].Share, 0, 0.01);
            var problems = await browser.ProblemsAsync();
            Assert.True(problems.Length == 0, string.Join("\n", problems));
        }
    }
}
