using System.Text.Json;
using System.Text.RegularExpressions;
using Cllama.Tests.Sdk;

namespace Cllama.Tests.Binary;

/// <summary>CONTRACT §9: <c>demo</c> shows three agents with traffic, honours the listen variables and the token, and leaves nothing behind.</summary>
public class BinaryDemoTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    static readonly string[] Agents = ["tiverton", "westin", "allen"];

    [Fact]
    public async Task Demo_shows_three_agents_with_traffic_and_removes_its_temp_dir_on_sigterm()
    {
        using var home = new BinaryHome();
        string cwd = Directory.CreateDirectory(Path.Combine(home.Root, "cwd")).FullName;
        await using var run = BinaryProcess.Start(home.Env, cwd, "demo");
        var ui = await run.EndPointAsync("dashboard", Bound);
        await run.WaitHealthyAsync(await run.EndPointAsync("api", Bound));

        // Everything it writes is under the TMPDIR we gave it, in one directory the banner names.
        string demoDir = Assert.Single(Directory.GetDirectories(home.TempDir));
        Assert.StartsWith("cllama-demo-", Path.GetFileName(demoDir));
        await run.Stderr.WaitForAsync(l => l.Contains("temporary directory " + demoDir), "the banner naming the demo directory", Bound);
        await run.Stderr.WaitForAsync(l => Regex.IsMatch(l, $@"http://{Regex.Escape(ui.ToString())}/login\?token={BinaryHome.UiToken}"),
            "the dashboard URL with its login token", Bound);

        var costs = await WaitForTrafficAsync(ui);
        foreach (var agent in Agents)
        {
            var a = costs.Agent(agent);
            Assert.True(a.GetProperty("total_requests").GetInt64() > 0, agent);
            Assert.True(a.GetProperty("total_cost_usd").GetDecimal() > 0, agent);
        }
        Assert.Equal(Agents.Order(), costs.Agents.Order());
        var logged = run.Stdout.Snapshot().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("claw_id").GetString()).ToHashSet();
        Assert.Superset(Agents.ToHashSet(), logged!);

        run.Terminate();
        Assert.Equal(0, await run.WaitForExitAsync(Bound));
        Assert.False(Directory.Exists(demoDir), $"{demoDir} is still there after exit");
        Assert.DoesNotContain(run.Stderr.Snapshot(), l => l.Contains(" warn: ") || l.Contains(" fail: ") || l.Contains(" crit: "));
        foreach (var dir in new[] { home.TempDir, home.HomeDir, cwd, home.ContextRoot, home.AuthDir, home.StateDir })
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    /// <summary>Polls /costs/api until every demo agent has priced requests on record.</summary>
    static async Task<CostsView> WaitForTrafficAsync(System.Net.IPEndPoint ui)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        long deadline = Environment.TickCount64 + (long)Bound.TotalMilliseconds;
        string last = "";
        while (Environment.TickCount64 < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{ui}/costs/api");
            request.Headers.Authorization = new("Bearer", BinaryHome.UiToken);
            using var response = await http.SendAsync(request);
            last = await response.Content.ReadAsStringAsync();
            var costs = new CostsView(last);
            if (response.IsSuccessStatusCode && Agents.All(a => costs.Agents.Contains(a) && costs.Agent(a).GetProperty("total_cost_usd").GetDecimal() > 0))
                return costs;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the demo agents had no traffic in /costs/api within {Bound.TotalSeconds} s: {last}");
    }
}
