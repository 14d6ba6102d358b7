using System.Net;
using Cllama.Tests.Support;

namespace Cllama.Tests.Dashboard;

/// <summary>Cookie-authenticated state changes need our CSRF token and our Origin; refused ones change nothing.</summary>
public class DashboardCsrfTests
{
    const string NewKey = "sk-new-key-that-must-not-land-7777";

    static (string, string)[] SaveForm(string? csrf) =>
    [
        .. csrf is null ? Array.Empty<(string, string)>() : [("csrf", csrf)],
        ("action", "save"), ("name", "acme"), ("base_url", "https://attacker.example/v1"),
        ("api_key", NewKey), ("auth", "bearer"), ("api_format", "openai"),
    ];

    static async Task AssertRefusedAndUnchanged(ProxyFixture f, Reply reply, byte[] before)
    {
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(f.AuthDir, "providers.json")));
        Assert.Null(f.App.Services.Providers.Get("acme"));
    }

    [Fact]
    public async Task A_cross_origin_form_post_is_refused_and_changes_nothing()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(ProxyFixture.DashboardToken);
        byte[] before = await File.ReadAllBytesAsync(Path.Combine(f.AuthDir, "providers.json"));
        foreach (var origin in new[] { "http://evil.example", "null", $"http://127.0.0.1:{f.DashboardBase.Port + 1}", $"https://{client.Host}.evil.example" })
        {
            var reply = await client.SendAsync("POST", "/providers", s.Auth, DashboardClient.Form(SaveForm(s.Csrf)), ("Origin", origin));
            await AssertRefusedAndUnchanged(f, reply, before);
            Assert.Contains("cross-origin", reply.Body);
        }
        // A cross-site Referer alone is no better.
        var viaReferer = await client.SendAsync("POST", "/providers", s.Auth, DashboardClient.Form(SaveForm(s.Csrf)), ("Referer", "http://evil.example/page"));
        await AssertRefusedAndUnchanged(f, viaReferer, before);
        // Neither header: a browser always sends Origin on a POST, so this is no browser and should use a bearer token.
        var bare = await client.SendAsync("POST", "/providers", s.Auth, DashboardClient.Form(SaveForm(s.Csrf)));
        await AssertRefusedAndUnchanged(f, bare, before);
    }

    [Fact]
    public async Task A_form_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(ProxyFixture.DashboardToken);
        var other = await client.LoginAsync(ProxyFixture.DashboardToken);
        byte[] before = await File.ReadAllBytesAsync(Path.Combine(f.AuthDir, "providers.json"));
        foreach (var csrf in new[] { null, "", "wrong", other.Csrf, s.Cookie })
        {
            var reply = await client.PostFormAsync("/providers", s.Auth, SaveForm(csrf));
            await AssertRefusedAndUnchanged(f, reply, before);
            Assert.Contains("CSRF", reply.Body);
        }
        var delete = await client.PostFormAsync("/providers", s.Auth, ("action", "delete"), ("name", "fake"));
        await AssertRefusedAndUnchanged(f, delete, before);
        Assert.NotNull(f.App.Services.Providers.Get("fake"));
    }

    [Fact]
    public async Task A_same_origin_form_post_with_the_token_saves_and_reports_once()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(ProxyFixture.DashboardToken);
        var reply = await client.PostFormAsync("/providers", s.Auth, SaveForm(s.Csrf));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        Assert.Equal("/", reply.Header("location"));
        Assert.Equal(NewKey, f.App.Services.Providers.Get("acme")!.ApiKey!.Reveal());

        var page = await client.GetAsync("/", s.Auth);
        Assert.Contains("Added provider &#39;acme&#39;.", page.Body);
        Assert.DoesNotContain("Added provider", (await client.GetAsync("/", s.Auth)).Body);

        // Referer is accepted where a browser sent no Origin.
        var delete = await client.SendAsync("POST", "/providers", s.Auth,
            DashboardClient.Form(("csrf", s.Csrf), ("action", "delete"), ("name", "acme")), ("Referer", client.Origin + "/"));
        Assert.Equal(HttpStatusCode.SeeOther, delete.Status);
        Assert.Null(f.App.Services.Providers.Get("acme"));
    }

    [Fact]
    public async Task A_failed_form_save_reports_the_problem_on_the_page()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(ProxyFixture.DashboardToken);
        var reply = await client.PostFormAsync("/providers", s.Auth,
            ("csrf", s.Csrf), ("action", "save"), ("name", "acme"), ("base_url", "ftp://x.example"), ("auth", "bearer"));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        var page = await client.GetAsync("/", s.Auth);
        Assert.Contains("class=\"flash error\"", page.Body);
        Assert.Contains("not an absolute http or https URL", page.Body);
        Assert.Null(f.App.Services.Providers.Get("acme"));
    }

    [Fact]
    public async Task Cookie_put_and_delete_need_the_csrf_header_and_our_origin()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(ProxyFixture.DashboardToken);
        byte[] before = await File.ReadAllBytesAsync(Path.Combine(f.AuthDir, "providers.json"));
        string json = $$"""{"base_url":"https://attacker.example/v1","api_key":"{{NewKey}}"}""";

        await AssertRefusedAndUnchanged(f, await client.SendAsync("PUT", "/providers/api/acme", s.Auth, DashboardClient.Json(json), ("Origin", client.Origin)), before);
        await AssertRefusedAndUnchanged(f, await client.SendAsync("PUT", "/providers/api/acme", s.Auth, DashboardClient.Json(json),
            ("Origin", "http://evil.example"), ("X-CSRF-Token", s.Csrf)), before);
        await AssertRefusedAndUnchanged(f, await client.SendAsync("DELETE", "/providers/api/fake", s.Auth, null, ("Origin", client.Origin)), before);
        Assert.NotNull(f.App.Services.Providers.Get("fake"));

        var ok = await client.SendAsync("PUT", "/providers/api/acme", s.Auth, DashboardClient.Json(json), ("Origin", client.Origin), ("X-CSRF-Token", s.Csrf));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var deleted = await client.SendAsync("DELETE", "/providers/api/acme", s.Auth, null, ("Origin", client.Origin), ("X-CSRF-Token", s.Csrf));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
    }

    [Fact]
    public async Task Bearer_scripts_need_no_csrf_token()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var auth = new DashAuth(Bearer: ProxyFixture.DashboardToken);
        var put = await client.SendAsync("PUT", "/providers/api/acme", auth, DashboardClient.Json("""{"base_url":"https://a.example/v1","auth":"none"}"""));
        Assert.Equal(HttpStatusCode.OK, put.Status);
        var form = await client.SendAsync("POST", "/providers", auth, DashboardClient.Form(("action", "delete"), ("name", "acme")));
        Assert.Equal(HttpStatusCode.SeeOther, form.Status);
        Assert.Null(f.App.Services.Providers.Get("acme"));
    }
}
