using Cllama.Tests.Support;

namespace Cllama.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium, as an operator uses it: log in through the form, add a provider, then read
/// the pod and cost pages after real proxied traffic. Screenshots land in artifacts/screenshots/.
/// </summary>
public class DashboardBrowserTests
{
    const string Key = "sk-browser-test-key-00112233QRST";

    static string Shot(string name)
    {
        string dir = Directory.CreateDirectory(Path.Combine(BrowserDriver.RepoRoot, "artifacts", "screenshots")).FullName;
        return Path.Combine(dir, name + ".png");
    }

    static async Task AssertNoProblems(BrowserDriver browser)
    {
        // Console errors include CSP violations and failed loads: a clean page has none.
        var problems = await browser.ProblemsAsync();
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Operator_logs_in_through_the_form_and_adds_a_provider_shown_masked()
    {
        await using var f = await DashboardTraffic.StartAsync();
        await using var browser = await BrowserDriver.StartAsync();
        string home = f.DashboardBase.ToString();

        await browser.GotoAsync(home);
        Assert.EndsWith("/login", await browser.UrlAsync());
        await browser.ScreenshotAsync(Shot("login-laptop"));
        await browser.ViewportAsync(390, 844);
        await browser.ScreenshotAsync(Shot("login-phone"));
        await browser.ViewportAsync(1366, 768);
        await browser.FillAsync("#token", "not-the-token");
        await browser.SubmitAsync("#login button[type=submit]");
        Assert.Contains("not right", await browser.TextAsync(".error"));
        // The refused login is answered 401, which the browser reports; nothing else went wrong.
        Assert.All(await browser.ProblemsAsync(), p => Assert.Contains("status of 401", p));

        await browser.FillAsync("#token", ProxyFixture.DashboardToken);
        await browser.SubmitAsync("#login button[type=submit]");
        Assert.Equal(home, await browser.UrlAsync());
        var cookie = (await browser.CookiesAsync()).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "cllama_session");
        Assert.True(cookie.GetProperty("httpOnly").GetBoolean());
        Assert.Equal("Strict", cookie.GetProperty("sameSite").GetString());
        Assert.NotEqual(ProxyFixture.DashboardToken, cookie.GetProperty("value").GetString());

        await browser.WaitForAsync("tr[data-provider=fake]");
        await browser.FillAsync("#f-name", "acme");
        await browser.FillAsync("#f-base", "https://acme.example/v1");
        await browser.FillAsync("#f-key", Key);
        await browser.SelectAsync("#f-auth", "x-api-key");
        await browser.SelectAsync("#f-format", "anthropic");
        await browser.SubmitAsync("#save");

        Assert.Contains("Added provider 'acme'", await browser.TextAsync("#flash"));
        await browser.WaitForAsync("tr[data-provider=acme]");
        string row = await browser.TextAsync("tr[data-provider=acme]");
        Assert.Contains("…QRST", row);
        Assert.Contains("saved", row);
        Assert.Contains("x-api-key", row);
        Assert.DoesNotContain(Key, await browser.HtmlAsync());
        Assert.Equal(Key, f.App.Services.Providers.Get("acme")!.ApiKey!.Reveal());
        Assert.Equal("https://acme.example/v1", f.App.Services.Providers.Get("acme")!.BaseUrl);

        // Edit keeps the key when the key field is left empty; the form is filled from the row.
        await browser.ClickAsync("tr[data-provider=acme] button[type=button]");
        Assert.Equal("acme", (await browser.EvalAsync("document.getElementById('f-name').value")).GetString());
        await browser.FillAsync("#f-base", "https://acme.example/v2");
        await browser.SubmitAsync("#save");
        Assert.Contains("Saved provider 'acme'", await browser.TextAsync("#flash"));
        Assert.Equal(Key, f.App.Services.Providers.Get("acme")!.ApiKey!.Reveal());
        Assert.Equal("https://acme.example/v2", f.App.Services.Providers.Get("acme")!.BaseUrl);

        await browser.SubmitAsync("tr[data-provider=acme] form.delete button");
        Assert.Contains("Deleted provider 'acme'", await browser.TextAsync("#flash"));
        Assert.Null(f.App.Services.Providers.Get("acme"));
        await AssertNoProblems(browser);

        await browser.SubmitAsync("#logout button");
        Assert.EndsWith("/login", await browser.UrlAsync());
        await browser.GotoAsync(home + "costs");
        Assert.EndsWith("/login", await browser.UrlAsync());
    }

    [Fact]
    public async Task Pod_and_costs_pages_show_the_traffic_with_drawn_charts()
    {
        await using var f = await DashboardTraffic.StartAsync();
        await DashboardTraffic.TradingDeskAsync(f);
        await using var browser = await BrowserDriver.StartAsync();
        string home = f.DashboardBase.ToString();
        await browser.GotoAsync(home + "login?token=" + ProxyFixture.DashboardToken);
        Assert.Equal(home, await browser.UrlAsync());
        await browser.WaitForAsync("tr[data-provider=fakeant]");
        Assert.Contains("…ijkl", await browser.TextAsync("tr[data-provider=fakeant]"));

        await browser.GotoAsync(home + "pod");
        await browser.WaitForAsync("tr[data-agent=allen]");
        Assert.Contains("test-pod", await browser.TextAsync("h1"));
        string tiverton = await browser.TextAsync("tr[data-agent=tiverton]");
        Assert.Contains("fake/gpt-4o-mini", tiverton);
        Assert.Contains("$0.0187", tiverton);
        Assert.Equal(3, await browser.CountAsync("#chart-requests svg rect[class^=fill-]"));

        await browser.GotoAsync(home + "costs");
        await browser.WaitForAsync("tr.model[data-agent=westin]");
        Assert.Equal("10", await browser.TextAsync("#s-requests"));
        Assert.Equal("2", await browser.TextAsync("#s-unpriced"));
        Assert.Equal(3, await browser.CountAsync("tr.agent"));
        Assert.Equal(6, await browser.CountAsync("tr.model"));
        Assert.Contains("fakeant/claude-sonnet-4", await browser.TextAsync("tr.model[data-agent=westin]"));
        Assert.Equal(3, await browser.CountAsync("#chart-agents svg rect[class^=fill-]"));
        Assert.Equal(4, await browser.CountAsync("#chart-models svg rect[class^=fill-]"));
        // The largest spender's bar is the widest: bars are drawn to scale.
        var widths = await browser.EvalAsync(
            "[...document.querySelectorAll('#chart-agents svg rect[class^=fill-]')].map(r => +r.getAttribute('width'))");
        var w = widths.EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.True(w[0] > w[1] && w[1] > 0, string.Join(",", w));
        await AssertNoProblems(browser);

        foreach (var (width, height, suffix) in new[] { (1366, 768, "laptop"), (390, 844, "phone") })
        {
            await browser.ViewportAsync(width, height);
            foreach (var page in new[] { "", "pod", "costs" })
            {
                await browser.GotoAsync(home + page);
                await browser.WaitForAsync(page switch { "" => "tr[data-provider]", "pod" => "#chart-requests svg", _ => "#chart-models svg" });
                await browser.ScreenshotAsync(Shot($"{(page == "" ? "providers" : page)}-{suffix}"));
                // Nothing sticks out sideways on a phone: the page is as wide as the window.
                Assert.True((await browser.EvalAsync("document.documentElement.scrollWidth <= window.innerWidth")).GetBoolean(), $"{page} overflows at {width}px");
            }
        }
        await browser.ViewportAsync(1366, 768);
        await browser.ColorSchemeAsync("dark");
        await browser.GotoAsync(home + "costs");
        await browser.WaitForAsync("#chart-models svg");
        Assert.Equal("rgb(18, 22, 28)", (await browser.EvalAsync("getComputedStyle(document.body).backgroundColor")).GetString());
        await browser.ScreenshotAsync(Shot("costs-laptop-dark"));
        await AssertNoProblems(browser);
    }

    [Fact]
    public async Task Pages_refresh_themselves_as_traffic_arrives()
    {
        await using var f = await DashboardTraffic.StartAsync();
        DashboardTraffic.ScriptUpstream(f);
        string token = await f.AddAgentAsync("tiverton");
        await using var browser = await BrowserDriver.StartAsync();
        string home = f.DashboardBase.ToString();
        await browser.GotoAsync(home + "login?token=" + ProxyFixture.DashboardToken);
        await browser.GotoAsync(home + "costs");
        await browser.WaitForTextAsync("#s-requests", "0");
        Assert.Equal(0, await browser.CountAsync("tr.agent"));

        await DashboardTraffic.ChatAsync(f, token, "fake/gpt-4o", 2);
        await browser.WaitForAsync("tr.agent[data-agent=tiverton]");
        Assert.Equal("2", await browser.TextAsync("#s-requests"));
        Assert.Equal("$0.0120", await browser.TextAsync("#s-total"));
    }
}
